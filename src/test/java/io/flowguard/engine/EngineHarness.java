package io.flowguard.engine;

import java.time.Duration;
import java.time.Instant;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flowguard.store.CommitListener;
import io.flowguard.store.DatabaseVendor;
import io.flowguard.store.SchemaMigrator;
import io.flowguard.store.Store;
import io.flowguard.testing.ManualClock;
import io.flowguard.testing.TestDatabase;

/**
 * Engines without any container, on a fresh database of the run's kind (H2, or PostgreSQL with
 * {@code -Dflowguard.test.db=postgresql}) and a manual clock: the way an embedder builds one.
 */
final class EngineHarness implements AutoCloseable {

    static final Duration LEASE = Duration.ofSeconds(30);

    final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T08:00:00Z"));
    final HikariDataSource dataSource;
    final Store store;
    private final TestDatabase db;

    EngineHarness() {
        db = TestDatabase.fresh();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.url());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(8);
        dataSource = new HikariDataSource(config);
        DatabaseVendor vendor = DatabaseVendor.ofUrl(db.url());
        new SchemaMigrator(dataSource, vendor).migrate();
        store = Store.open(dataSource, vendor, CommitListener.NONE);
    }

    /** @return a builder of an instance with no worker threads (driven by {@link Engine#runDue()}) */
    Engine.Builder instance(String id) {
        return Engine.builder().store(store).clock(clock).instanceId(id)
                .settings(EngineSettings.defaults().withWorkers(0));
    }

    @Override
    public void close() {
        store.close();
        dataSource.close();
        db.drop();
    }
}
