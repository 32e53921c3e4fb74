package io.flowguard.retention;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import io.flowguard.service.DataSourceProducer;
import io.flowguard.service.SchemaGate;
import io.flowguard.store.OneLineError;
import io.flowguard.store.RetentionStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;

/**
 * Deletes finished executions older than {@code flowguard.retention} (30 days by default), with
 * their history events, agent requests and idempotency keys, and every expired idempotency key;
 * at most {@code flowguard.retention.batch-size} (1,000) rows per transaction, so a sweep never
 * holds locks long or bloats one transaction, and the engine runs on beside it.
 *
 * <p>Every instance schedules the sweep; a database lease makes one of them run it at a time.
 * Each batch renews the lease in its own transaction, so an instance that stalled past its lease
 * (and was replaced) deletes nothing more.
 */
@ApplicationScoped
public class RetentionSweeper {

    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class.getName());

    private final RetentionSettings settings;
    private final RetentionStore store;
    private final SchemaGate gate;
    private final MeterRegistry meters;
    private final String owner;
    private volatile ScheduledExecutorService timer;

    /** For CDI proxies. */
    protected RetentionSweeper() {
        this.settings = null;
        this.store = null;
        this.gate = null;
        this.meters = null;
        this.owner = null;
    }

    @Inject
    RetentionSweeper(Config config, @Named(DataSourceProducer.NAME) DataSource dataSource, SchemaGate gate, MeterRegistry meters) {
        this.settings = RetentionSettings.from(config);
        this.store = new RetentionStore(dataSource);
        this.gate = gate;
        this.meters = meters;
        this.owner = config.getOptionalValue("flowguard.engine.instance-id", String.class)
                .orElseGet(() -> ManagementFactory.getRuntimeMXBean().getName().replaceAll("[^A-Za-z0-9@._-]", "")
                        + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    void onStart(@Observes @Priority(5100) @Initialized(ApplicationScoped.class) Object event) {
        if (!settings.enabled()) {
            LOG.warning("retention is off (flowguard.retention.enabled=false): finished executions are kept forever");
            return;
        }
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("flowguard-retention").daemon().factory());
        long every = settings.interval().toMillis();
        t.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
        timer = t;
    }

    void onStop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
        }
    }

    /** @return the settings in force */
    public RetentionSettings settings() {
        return settings;
    }

    /**
     * Runs one sweep now, unless another instance holds the lease.
     *
     * @return what it deleted
     * @throws io.flowguard.store.StoreException on a database error (the batches committed so far stay committed)
     */
    public RetentionReport sweep() {
        return sweep(owner);
    }

    /**
     * Runs one sweep as {@code sweeper} (tests play two instances this way).
     *
     * @param sweeper the lease owner's id
     * @return what it deleted
     * @throws io.flowguard.store.StoreException on a database error
     */
    public RetentionReport sweep(String sweeper) {
        long started = System.nanoTime();
        Instant now = Instant.now();
        if (!store.acquire(sweeper, now, now.plus(settings.lease()))) {
            return RetentionReport.skipped();
        }
        Instant cutoff = now.minus(settings.keep());
        Map<RetentionStore.Delete, Long> deleted = new EnumMap<>(RetentionStore.Delete.class);
        List<Integer> batches = new ArrayList<>();
        try {
            for (RetentionStore.Delete delete : RetentionStore.Delete.values()) {
                Instant before = delete == RetentionStore.Delete.EXPIRED_KEYS ? now : cutoff;
                int n;
                do {
                    Instant at = Instant.now();
                    n = store.deleteBatch(delete, sweeper, before, settings.batchSize(), at, at.plus(settings.lease()));
                    if (n < 0) {
                        LOG.warning("retention: lease lost mid-sweep; another instance carries on");
                        return report(deleted, batches, started);
                    }
                    if (n > 0) {
                        batches.add(n);
                        deleted.merge(delete, (long) n, Long::sum);
                        meters.counter("flowguard.retention.deleted", "table", delete.table()).increment(n);
                    }
                } while (n > 0);
            }
        } finally {
            store.release(sweeper, Instant.now());
        }
        return report(deleted, batches, started);
    }

    private static RetentionReport report(Map<RetentionStore.Delete, Long> deleted, List<Integer> batches, long started) {
        return new RetentionReport(true,
                deleted.getOrDefault(RetentionStore.Delete.EXECUTIONS, 0L),
                deleted.getOrDefault(RetentionStore.Delete.EVENTS, 0L),
                deleted.getOrDefault(RetentionStore.Delete.AGENT_REQUESTS, 0L),
                deleted.getOrDefault(RetentionStore.Delete.KEYS_OF_EXECUTIONS, 0L)
                        + deleted.getOrDefault(RetentionStore.Delete.EXPIRED_KEYS, 0L),
                List.copyOf(batches), Duration.ofNanos(System.nanoTime() - started));
    }

    private void sweepQuietly() {
        if (!gate.isReady()) {
            return;
        }
        try {
            RetentionReport report = sweep();
            if (report.ran() && report.rows() > 0) {
                LOG.info(report.toString());
            }
        } catch (RuntimeException e) {
            LOG.warning("retention sweep failed, next try in " + settings.interval() + ": " + OneLineError.of(e));
        }
    }
}
