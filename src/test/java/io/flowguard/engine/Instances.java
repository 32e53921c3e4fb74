package io.flowguard.engine;

import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flowguard.store.CommitListener;
import io.flowguard.store.DatabaseVendor;
import io.flowguard.store.Store;
import io.flowguard.testing.TestDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * More engine instances in the test's process, on the service's database and flows: what other
 * processes would be (each with its own worker id and workers).
 */
@ApplicationScoped
public class Instances {

    // looked up when used: tests that boot without the engine's beans also see this class
    @Inject
    jakarta.enterprise.inject.Instance<Engine> engines;
    @Inject
    jakarta.enterprise.inject.Instance<Store> stores;
    @Inject
    jakarta.enterprise.inject.Instance<org.eclipse.microprofile.config.Config> configs;
    @Inject
    jakarta.enterprise.inject.Instance<io.micrometer.core.instrument.MeterRegistry> registries;

    /**
     * @param workerId a worker id unique among all instances
     * @param workers  worker threads
     * @return the instance, its workers not started
     */
    public Instance newPool(String workerId, int workers) {
        return new Instance(engine(stores.get(), workerId, workers), null, null);
    }

    /**
     * An instance with a connection pool and store of its own on the service's database, so that it
     * can lose its database alone ({@link Instance#crash()}) as a crashed process would.
     *
     * @param workerId a worker id unique among all instances
     * @param workers  worker threads
     * @return the instance, its workers not started
     */
    public Instance newProcess(String workerId, int workers) {
        TestDatabase database = TestDatabase.shared();
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(database.url());
        pool.setUsername(database.user());
        pool.setPassword(database.password());
        pool.setMaximumPoolSize(workers + 2);
        pool.setPoolName(workerId);
        HikariDataSource dataSource = new HikariDataSource(pool);
        Store store = Store.open(dataSource, DatabaseVendor.ofUrl(database.url()), CommitListener.NONE);
        return new Instance(engine(store, workerId, workers), store, dataSource);
    }

    private Engine engine(Store store, String workerId, int workers) {
        Engine engine = engines.get();
        org.eclipse.microprofile.config.Config config = configs.get();
        return Engine.builder().store(store).registry(engine.flows())
                .settings(engine.settings().withWorkers(workers)).instanceId(workerId).meters(registries.get())
                .services(flows -> new io.flowguard.outbound.ServiceDirectory(flows, config)).build();
    }

    /** @return the service's own worker pool */
    public java.util.Optional<WorkerPool> pool() {
        return engines.get().workers();
    }

    /** One more instance. */
    public static final class Instance {
        private final Engine engine;
        private final Store ownStore;
        private final HikariDataSource ownPool;

        Instance(Engine engine, Store ownStore, HikariDataSource ownPool) {
            this.engine = engine;
            this.ownStore = ownStore;
            this.ownPool = ownPool;
        }

        /** Starts its workers (after its deployment check, unless that passed already). */
        public void start() {
            engine.startWorkers();
        }

        /**
         * Runs its deployment check now, as its start would: what the test stores afterwards, the
         * instance meets at run time, as a new build meets what an older instance of a rolling
         * deploy leaves after the new one started.
         */
        public void checkDeployment() {
            engine.checkDeployment();
        }

        /** @param grace how long running steps may take to commit */
        public void stop(Duration grace) {
            engine.workers().ifPresent(p -> p.stop(grace));
            if (ownStore != null) {
                ownStore.close();
                ownPool.close();
            }
        }

        /**
         * The instance loses its database at once, as a crashed process does: its pool closes and
         * aborts the connections in use, so the transactions in flight roll back, nothing more
         * commits, no heartbeat extends a lease and its leases lapse. Only for {@link
         * Instances#newProcess} instances; {@link #stop} then ends its threads.
         */
        public void crash() {
            ownPool.close();
        }

        /** @return its claimer's saturated polls ({@link WorkerPool#saturatedPolls()}) */
        public long saturatedPolls() {
            return engine.workers().orElseThrow().saturatedPolls();
        }

        /** @return its worker id */
        public String id() {
            return engine.instanceId();
        }
    }
}
