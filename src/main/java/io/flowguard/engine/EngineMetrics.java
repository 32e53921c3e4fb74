package io.flowguard.engine;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.flowguard.store.ExecutionStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The engine's meters. Tags are only registered flow and step names and status names, never
 * anything from input. Counts of finished executions are taken when their transaction commits
 * (a rolled-back move counts nothing); the gauges read the database, at most every few seconds.
 */
final class EngineMetrics {

    private static final Duration GAUGE_CACHE = Duration.ofSeconds(5);

    private final MeterRegistry meters;
    private final Supplier<long[]> counts;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(0, 0, 0, 0));

    /** What the gauges show, and when it was read. */
    private record Snapshot(long active, long pendingAgentRequests, long runnable, long readAt) {
    }

    /**
     * @param meters where the meters go
     * @param counts reads active executions, pending agent requests and runnable executions
     */
    EngineMetrics(MeterRegistry meters, Supplier<long[]> counts) {
        this.meters = meters;
        this.counts = counts;
        Gauge.builder("flowguard.executions.active", this, m -> m.current().active())
                .description("executions not finished (PENDING, RUNNING, WAITING_AGENT)").register(meters);
        Gauge.builder("flowguard.agent.requests.pending", this, m -> m.current().pendingAgentRequests())
                .description("agent requests waiting for an answer").register(meters);
        Gauge.builder("flowguard.claim.queue.depth", this, m -> m.current().runnable())
                .description("executions due to run and not leased").register(meters);
        Counter.builder("flowguard.lease.reclaims")
                .description("executions claimed after another worker's lease on them expired").register(meters);
    }

    /** Meters of this instance's workers: idle ones, hand-offs waiting for one, saturated polls. */
    void workers(LongSupplier idle, LongSupplier waitingHandOffs, LongSupplier saturatedPolls) {
        FunctionCounter.builder("flowguard.workers.saturated.polls", saturatedPolls, LongSupplier::getAsLong)
                .description("poll intervals this instance's claimer waited through because every worker was busy")
                .register(meters);
        Gauge.builder("flowguard.workers.idle", idle, LongSupplier::getAsLong)
                .description("workers of this instance free to take an execution").register(meters);
        Gauge.builder("flowguard.handoffs.waiting", waitingHandOffs, LongSupplier::getAsLong)
                .description("executions this instance's starts and answers leased, waiting for a worker")
                .register(meters);
    }

    /**
     * Counts claims that took an execution whose lease another worker let expire (it died,
     * stalled or lost the database): a rising rate means instances are failing.
     *
     * @param count reclaimed executions in one claim
     */
    void leasesReclaimed(int count) {
        meters.counter("flowguard.lease.reclaims").increment(count);
    }

    private Snapshot current() {
        Snapshot s = snapshot.get();
        long now = System.nanoTime();
        if (s.readAt() == 0 || now - s.readAt() > GAUGE_CACHE.toNanos()) {
            try {
                long[] c = counts.get();
                s = new Snapshot(c[0], c[1], c[2], now);
                snapshot.set(s);
            } catch (RuntimeException databaseDown) {
                // keep the last values; readiness reports the database
            }
        }
        return s;
    }

    /** An execution was created (after its transaction committed). */
    void started(String flow) {
        Counter.builder("flowguard.executions.started").tag("flow", flow).register(meters).increment();
    }

    /** An execution reached a terminal status (called once its transaction committed). */
    void finished(String flow, ExecutionStatus status) {
        Counter.builder("flowguard.executions.finished").tag("flow", flow)
                .tag("status", status.name().toLowerCase(Locale.ROOT)).register(meters).increment();
    }

    /** A step ran (successfully or not) for this long. */
    void stepRan(String flow, String step, Duration took) {
        Timer.builder("flowguard.step.duration").tag("flow", flow).tag("step", step)
                .publishPercentileHistogram().register(meters).record(took);
    }
}
