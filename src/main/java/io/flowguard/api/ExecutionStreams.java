package io.flowguard.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;


import io.flowguard.engine.EngineException;
import io.flowguard.engine.Engine;
import io.flowguard.engine.EventSnapshot;
import io.flowguard.engine.ExecutionSnapshot;
import io.flowguard.store.OneLineError;
import io.flowguard.watch.ChangeSignals;
import io.flowguard.watch.ClientPresence;
import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Live history streams (Server-Sent Events). Each open stream is a virtual thread that reads the
 * execution's row (one primary-key read) and, when its last event sequence moved, the new events;
 * it sends each with its sequence number as the SSE id, so a client that reconnects with
 * {@code Last-Event-ID} misses nothing and sees nothing twice. It reads again as soon as this
 * instance commits a change to the execution ({@link ChangeSignals}) and at the latest after
 * {@code flowguard.stream.poll-interval}, so it also sees events committed by other instances.
 *
 * <p>Bounds: at most {@code flowguard.stream.max-per-subject} open streams per token subject on
 * this instance; a stream ends when its execution finishes (after an {@code end} event), when
 * the client goes away (noticed at its next read of the row, {@link ClientPresence}, or at the
 * latest at a heartbeat write) or after {@code flowguard.stream.max-duration}.
 */
@ApplicationScoped
public class ExecutionStreams {

    private static final Logger LOG = Logger.getLogger(ExecutionStreams.class.getName());
    private static final int PAGE = 200;

    @Inject
    Engine engine;
    @Inject
    ApiJson json;
    @Inject
    ChangeSignals signals;
    @Inject
    @ConfigProperty(name = "flowguard.stream.max-per-subject", defaultValue = "10")
    int maxPerSubject;
    @Inject
    @ConfigProperty(name = "flowguard.stream.poll-interval", defaultValue = "PT0.5S")
    Duration pollInterval;
    @Inject
    @ConfigProperty(name = "flowguard.stream.heartbeat-interval", defaultValue = "PT15S")
    Duration heartbeatInterval;
    @Inject
    @ConfigProperty(name = "flowguard.stream.max-duration", defaultValue = "PT30M")
    Duration maxDuration;

    @Inject
    MeterRegistry meters;

    private final Map<String, Integer> openPerSubject = new ConcurrentHashMap<>();
    private final Set<SseEventSink> open = ConcurrentHashMap.newKeySet();
    private ExecutorService threads;

    @PostConstruct
    void start() {
        if (maxPerSubject < 1 || pollInterval.isNegative() || pollInterval.isZero()
                || heartbeatInterval.isNegative() || heartbeatInterval.isZero()
                || maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalStateException("flowguard.stream.* settings must be positive");
        }
        threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("flowguard-stream-", 0).factory());
        Gauge.builder("flowguard.streams.open", open, Set::size)
                .description("event streams open on this instance").register(meters);
    }

    /** Created with the application, so its gauge is there before the first stream. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // observing is enough: the container has created this bean and run start()
    }

    @PreDestroy
    void stop() {
        threads.shutdownNow();
        open.forEach(SseEventSink::close);
    }

    /**
     * Takes one of the subject's stream slots.
     *
     * @param subject the caller
     * @throws EngineException STREAM_LIMIT when the subject already has the most streams open
     */
    void reserve(String subject) {
        boolean[] granted = {false};
        openPerSubject.compute(subject, (s, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxPerSubject) {
                return count;
            }
            granted[0] = true;
            return current + 1;
        });
        if (!granted[0]) {
            throw new EngineException(EngineException.Problem.TOO_MANY_STREAMS,
                    "at most " + maxPerSubject + " open streams per subject; close one first");
        }
    }

    private void release(String subject) {
        openPerSubject.computeIfPresent(subject, (s, count) -> count <= 1 ? null : count - 1);
    }

    /**
     * Streams an execution's history after {@code afterSeq} into the sink, on its own thread,
     * holding the slot {@link #reserve} took until the stream ends.
     */
    void stream(UUID execution, int afterSeq, String subject, SseEventSink sink, Sse sse) {
        open.add(sink);
        // The first write commits the response through Jersey's response filters (security among
        // them), which need the request's Helidon context on the writing thread.
        Context context = Contexts.context().orElseGet(Context::create);
        try {
            threads.execute(() -> Contexts.runInContext(context, () -> {
                try {
                    pump(execution, afterSeq, sink, sse);
                } catch (RuntimeException e) {
                    LOG.fine(() -> "stream of " + execution + " ended: " + OneLineError.of(e));
                } finally {
                    open.remove(sink);
                    sink.close();
                    release(subject);
                }
            }));
        } catch (RuntimeException rejected) {
            open.remove(sink);
            sink.close();
            release(subject);
            throw rejected;
        }
    }

    private void pump(UUID execution, int afterSeq, SseEventSink sink, Sse sse) {
        Optional<ChangeSignals.Waiter> waiter = signals.register(List.of(ChangeSignals.execution(execution)));
        try {
            pump(execution, afterSeq, sink, sse, waiter);
        } finally {
            waiter.ifPresent(ChangeSignals.Waiter::close);
        }
    }

    /**
     * Sends events until the execution finished or the stream ends; between reads it waits for
     * this instance's commit signal, or the poll interval (other instances' commits, or no
     * signal when this instance already has its bound of waiting requests).
     */
    private void pump(UUID execution, int afterSeq, SseEventSink sink, Sse sse, Optional<ChangeSignals.Waiter> waiter) {
        long started = System.nanoTime();
        long lastSent = started;
        int after = afterSeq;
        while (!sink.isClosed() && !Thread.currentThread().isInterrupted() && !ClientPresence.gone()) {
            Optional<ExecutionSnapshot> row = engine.get(execution);
            if (row.isEmpty()) {
                return;
            }
            ExecutionSnapshot e = row.get();
            while (e.lastEventSeq() > after) {
                var events = engine.history(execution, after, PAGE);
                if (events.isEmpty()) {
                    break;
                }
                for (EventSnapshot event : events) {
                    if (!send(sink, sse.newEventBuilder().id(Integer.toString(event.seq())).name(event.type())
                            .mediaType(MediaType.APPLICATION_JSON_TYPE)
                            .data(String.class, json.write(EventView.of(event))).build())) {
                        return;
                    }
                    after = event.seq();
                }
                lastSent = System.nanoTime();
            }
            if (e.status().isTerminal() && e.lastEventSeq() <= after) {
                send(sink, sse.newEventBuilder().name("end").mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(String.class, json.write(Map.of("status", e.status().name()))).build());
                return;
            }
            long now = System.nanoTime();
            if (now - started >= maxDuration.toNanos()) {
                return;
            }
            if (now - lastSent >= heartbeatInterval.toNanos()) {
                if (!send(sink, sse.newEventBuilder().comment("keep-alive").build())) {
                    return;
                }
                lastSent = now;
            }
            try {
                if (waiter.isPresent()) {
                    waiter.get().await(pollInterval.toMillis());
                } else {
                    Thread.sleep(pollInterval);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** @return false when the client is gone */
    private static boolean send(SseEventSink sink, OutboundSseEvent event) {
        try {
            sink.send(event).toCompletableFuture().get(30, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception gone) {
            return false;
        }
    }
}
