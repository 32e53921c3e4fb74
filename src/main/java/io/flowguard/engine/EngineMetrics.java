package io.flowguard.engine;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import io.flowguard.store.ExecutionStatus;
import io.flowguard.watch.AfterCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The engine's meters. Tags are only registered flow and step names and status names, never
 * anything from input. Counts of finished executions are taken when their transaction commits
 * (a rolled-back move counts nothing); the gauges read the database, at most every few seconds.
 */
@ApplicationScoped
public class EngineMetrics {

    private static final Duration GAUGE_CACHE = Duration.ofSeconds(5);

    @Inject
    MeterRegistry meters;
    @Inject
    TransactionSynchronizationRegistry transactions;
    @Inject
    ExecutionLifecycle lifecycle;

    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(0, 0, 0, 0));

    /** What the gauges show, and when it was read. */
    private record Snapshot(long active, long pendingAgentRequests, long runnable, long readAt) {
    }

    @PostConstruct
    void gauges() {
        Gauge.builder("flowguard.executions.active", this, m -> m.current().active())
                .description("executions not finished (PENDING, RUNNING, WAITING_AGENT)").register(meters);
        Gauge.builder("flowguard.agent.requests.pending", this, m -> m.current().pendingAgentRequests())
                .description("agent requests waiting for an answer").register(meters);
        Gauge.builder("flowguard.claim.queue.depth", this, m -> m.current().runnable())
                .description("executions due to run and not leased").register(meters);
        Counter.builder("flowguard.lease.reclaims")
                .description("executions claimed after another worker's lease on them expired").register(meters);
    }

    /**
     * Counts claims that took an execution whose lease another worker let expire (it died,
     * stalled or lost the database): a rising rate means instances are failing.
     *
     * @param count reclaimed executions in one claim
     */
    public void leasesReclaimed(int count) {
        meters.counter("flowguard.lease.reclaims").increment(count);
    }

    /** Creates the bean (and so the gauges) at startup, so a scrape shows them before any work. */
    void atStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // nothing more: @PostConstruct registered the gauges
    }

    private Snapshot current() {
        Snapshot s = snapshot.get();
        long now = System.nanoTime();
        if (s.readAt() == 0 || now - s.readAt() > GAUGE_CACHE.toNanos()) {
            try {
                long[] counts = lifecycle.gaugeCounts();
                s = new Snapshot(counts[0], counts[1], counts[2], now);
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

    /** An execution reached a terminal status in the current transaction: counted if it commits. */
    void finishedOnCommit(String flow, ExecutionStatus status) {
        Runnable count = () -> Counter.builder("flowguard.executions.finished").tag("flow", flow)
                .tag("status", status.name().toLowerCase(Locale.ROOT)).register(meters).increment();
        AfterCommit.run(transactions, count);
    }

    /** A step ran (successfully or not) for this long. */
    void stepRan(String flow, String step, Duration took) {
        Timer.builder("flowguard.step.duration").tag("flow", flow).tag("step", step)
                .publishPercentileHistogram().register(meters).record(took);
    }
}
