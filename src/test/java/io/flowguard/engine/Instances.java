package io.flowguard.engine;

import java.time.Duration;

import io.flowguard.store.Store;
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
        Engine engine = engines.get();
        org.eclipse.microprofile.config.Config config = configs.get();
        return new Instance(Engine.builder().store(stores.get()).registry(engine.flows())
                .settings(engine.settings().withWorkers(workers)).instanceId(workerId).meters(registries.get())
                .services(flows -> new io.flowguard.outbound.ServiceDirectory(flows, config)).build());
    }

    /** @return the service's own worker pool */
    public java.util.Optional<WorkerPool> pool() {
        return engines.get().workers();
    }

    /** One more instance. */
    public static final class Instance {
        private final Engine engine;

        Instance(Engine engine) {
            this.engine = engine;
        }

        /** Starts its workers. */
        public void start() {
            engine.startWorkers();
        }

        /** @param grace how long running steps may take to commit */
        public void stop(Duration grace) {
            engine.workers().ifPresent(p -> p.stop(grace));
        }

        /** Abandons everything as a crash would: nothing more commits, leases lapse. */
        public void kill() {
            engine.workers().ifPresent(WorkerPool::kill);
        }

        /** @return its worker id */
        public String id() {
            return engine.instanceId();
        }
    }
}
