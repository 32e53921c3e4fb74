package io.flowguard.engine;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import io.flowguard.store.DataSourceProducer;
import io.flowguard.store.DatabaseSettings;
import io.flowguard.store.LeaseStore;
import io.flowguard.store.SchemaGate;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Starts this instance's {@link WorkerPool} with the application and stops it gracefully with it.
 * Workers claim only while the {@link SchemaGate} reports the database ready.
 */
@ApplicationScoped
public class EngineLifecycle {

    @Inject
    private EngineComponents components;
    @Inject
    private StepRunner runner;
    @Inject
    private DeadlineSweeper sweeper;
    @Inject
    private SchemaGate gate;
    @Inject
    @Named(DataSourceProducer.NAME)
    private DataSource dataSource;
    @Inject
    private DatabaseSettings database;
    @Inject
    @ConfigProperty(name = "flowguard.engine.instance-id")
    private Optional<String> configuredId;
    @Inject
    @ConfigProperty(name = "flowguard.engine.shutdown-grace", defaultValue = "PT10S")
    private Duration shutdownGrace;

    private volatile WorkerPool pool;

    void onStart(@Observes @Priority(5000) @Initialized(ApplicationScoped.class) Object event) {
        if (components.settings().workers() > 0) {
            pool = newPool(configuredId.orElseGet(EngineLifecycle::defaultId), components.settings().workers());
            pool.start();
        }
    }

    void onStop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        WorkerPool p = pool;
        if (p != null) {
            p.stop(shutdownGrace);
        }
    }

    /**
     * A new, unstarted worker pool on this application's database (tests start a second
     * "instance" this way; production runs one pool per process).
     *
     * @param workerId a worker id unique among all instances
     * @param workers  worker threads
     * @return the pool
     */
    public WorkerPool newPool(String workerId, int workers) {
        LeaseStore leases = new LeaseStore(dataSource, database.vendor(), components.metrics()::leasesReclaimed);
        return new WorkerPool(workerId, components.settings().withWorkers(workers), leases, runner, sweeper,
                gate::isReady);
    }

    /** Wakes this instance's idle workers (a new execution is due). */
    public void nudge() {
        WorkerPool p = pool;
        if (p != null) {
            p.nudge();
        }
    }

    /**
     * @return an idle worker of this instance reserved for an execution about to be made runnable,
     *         or a reservation without a lease (no workers here, or all busy)
     */
    public WorkerPool.Reservation reserveWorker() {
        WorkerPool p = pool;
        return p != null ? p.reserve() : WorkerPool.Reservation.none();
    }

    /** @return this instance's pool, if it runs workers */
    public Optional<WorkerPool> pool() {
        return Optional.ofNullable(pool);
    }

    private static String defaultId() {
        String host = ManagementFactory.getRuntimeMXBean().getName();
        return host.replaceAll("[^A-Za-z0-9@._-]", "") + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
