package io.flowguard.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.flowguard.store.DatabaseVendor;
import io.flowguard.store.Store;
import io.flowguard.testing.FreshStore;
import io.flowguard.testkit.ManualClock;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Engines without any container, on a fresh database of the run's kind (H2, or PostgreSQL with
 * {@code -Dflowguard.test.db=postgresql}) and a manual clock: the way an embedder builds one.
 */
final class EngineHarness implements AutoCloseable, BeforeEachCallback, AfterAllCallback {

    static final Duration LEASE = Duration.ofSeconds(30);

    final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T08:00:00Z"));
    final FreshStore database = new FreshStore();
    final HikariDataSource dataSource = database.dataSource();
    final Store store = database.store();
    private final DatabaseVendor vendor = store.vendor();

    private boolean clearsBeforeEach;

    /**
     * @return a harness for a class's tests to share (register it as a static {@code @RegisterExtension}):
     *         emptied before each test, closed after the last
     */
    static EngineHarness perClass() {
        EngineHarness harness = new EngineHarness();
        harness.clearsBeforeEach = true;
        return harness;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (clearsBeforeEach) {
            clear();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** @return a builder of an instance with no worker threads (driven by {@link Engine#runDue()}) */
    Engine.Builder instance(String id) {
        return Engine.builder().store(store).clock(clock).instanceId(id)
                .settings(EngineSettings.defaults().withWorkers(0));
    }

    /**
     * Empties every table but Flyway's history: for a class whose tests share one harness, each
     * test starts on an empty database as if fresh, without creating, migrating and dropping one
     * (most of what a test costs on PostgreSQL). Time stays where it stood: tests measure it relatively.
     */
    void clear() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String table = rs.getString("TABLE_NAME");
                    if (!table.equalsIgnoreCase("flyway_schema_history")) {
                        tables.add(table);
                    }
                }
            }
            if (vendor == DatabaseVendor.POSTGRESQL) {
                s.execute("TRUNCATE TABLE " + String.join(", ", tables) + " RESTART IDENTITY");
            } else {
                s.execute("SET REFERENTIAL_INTEGRITY FALSE");
                for (String table : tables) {
                    s.execute("TRUNCATE TABLE " + table + " RESTART IDENTITY");
                }
                s.execute("SET REFERENTIAL_INTEGRITY TRUE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the test database: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
