package io.flowguard.engine;

import java.time.Duration;
import java.time.Instant;

import com.zaxxer.hikari.HikariDataSource;
import io.flowguard.store.Store;
import io.flowguard.testing.FreshStore;
import io.flowguard.testing.ManualClock;

/**
 * Engines without any container, on a fresh database of the run's kind (H2, or PostgreSQL with
 * {@code -Dflowguard.test.db=postgresql}) and a manual clock: the way an embedder builds one.
 */
final class EngineHarness implements AutoCloseable {

    static final Duration LEASE = Duration.ofSeconds(30);

    final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T08:00:00Z"));
    final FreshStore database = new FreshStore();
    final HikariDataSource dataSource = database.dataSource();
    final Store store = database.store();

    /** @return a builder of an instance with no worker threads (driven by {@link Engine#runDue()}) */
    Engine.Builder instance(String id) {
        return Engine.builder().store(store).clock(clock).instanceId(id)
                .settings(EngineSettings.defaults().withWorkers(0));
    }

    @Override
    public void close() {
        database.close();
    }
}
