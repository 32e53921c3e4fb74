package io.flowguard.store;

import io.flowguard.service.DataSourceProducer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.flowguard.engine.EngineProbe;
import io.flowguard.engine.Engine;
import io.flowguard.ops.MigrateCommand;
import io.flowguard.retention.RetentionSweeper;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.TestDatabase;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * PostgreSQL with two roles, as in production: {@code migrate} runs as the schema's owner and
 * grants the runtime role row access only; the service runs as the runtime role. The runtime
 * role cannot drop, alter, truncate or create tables or rewrite Flyway's history, and the
 * service works: it is ready, runs a flow to completion and sweeps retention.
 * (On an H2 run this class is skipped: H2 has no such roles.)
 */
@HelidonTest
class LeastPrivilegeRoleTest {

    private static final boolean POSTGRES = TestDatabase.isPostgres();
    private static final String SCHEMA = "flowguard";
    private static String owner;
    private static String runtime;
    private static TestDatabase database;
    private static String migrateOutput;

    @AddConfigSource
    static ConfigSource runAsTheRuntimeRole() {
        if (!POSTGRES) {
            return new MapConfigSource("least-privilege (not on H2)", Map.of());
        }
        database = TestDatabase.fresh();
        owner = TestDatabase.createRole("fg_owner");
        runtime = TestDatabase.createRole("fg_app");
        database.asAdmin("CREATE SCHEMA " + SCHEMA + " AUTHORIZATION " + owner);
        String url = database.url() + "?currentSchema=" + SCHEMA;

        Map<String, String> asOwner = Map.of("flowguard.db.url", url, "flowguard.db.user", owner,
                "flowguard.db.password", "", "flowguard.db.runtime-role", runtime);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = MigrateCommand.run(config(asOwner), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        migrateOutput = out.toString(StandardCharsets.UTF_8);
        if (exit != 0) {
            throw new IllegalStateException("migrate as owner failed: " + migrateOutput);
        }
        Map<String, String> asRuntime = new HashMap<>(Map.of("flowguard.db.url", url, "flowguard.db.user", runtime,
                "flowguard.db.password", ""));
        asRuntime.put("flowguard.db.migrate-on-start", "false");
        return new MapConfigSource("least-privilege", asRuntime);
    }

    private static Config config(Map<String, String> values) {
        return ConfigProviderResolver.instance().getBuilder().withSources(new MapConfigSource("owner", values)).build();
    }

    @Inject
    Engine engine;

    @Inject
    RetentionSweeper retention;

    @Inject
    @Named(DataSourceProducer.NAME)
    DataSource dataSource;

    @Inject
    WebTarget target;

    @BeforeEach
    void onPostgresOnly() {
        Assumptions.assumeTrue(POSTGRES, "PostgreSQL roles: runs with -Dflowguard.test.db=postgresql");
    }

    @Test
    void migrateGrantsTheRuntimeRoleRowAccessOnly() {
        assertThat(migrateOutput, containsString("migrate: granted " + runtime
                + " read and write on the tables of schema " + SCHEMA + " (no DDL)"));
    }

    @Test
    void theRuntimeRoleCannotChangeTheSchema() throws SQLException {
        String url = database.url() + "?currentSchema=" + SCHEMA;
        try (Connection c = DriverManager.getConnection(url, runtime, "")) {
            for (String ddl : new String[] {
                    "DROP TABLE flow_execution",
                    "ALTER TABLE flow_execution ADD COLUMN evil INTEGER",
                    "ALTER TABLE execution_event DROP CONSTRAINT fk_execution_event_execution",
                    "TRUNCATE execution_event",
                    "CREATE TABLE evil (id INTEGER)",
                    "DROP SCHEMA " + SCHEMA + " CASCADE",
                    "DELETE FROM flyway_schema_history",
                    "UPDATE flyway_schema_history SET checksum = 0"}) {
                SQLException refused = assertThrows(SQLException.class, () -> {
                    try (Statement s = c.createStatement()) {
                        s.execute(ddl);
                    }
                }, ddl);
                assertThat(ddl + ": " + refused.getMessage(), refused.getSQLState(), is("42501"));
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success")) {
                rs.next();
                assertThat("the history is intact", rs.getInt(1) >= 3, is(true));
            }
        }
    }

    @Test
    void theServiceWorksAsTheRuntimeRole() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            assertThat(rs.getString(1), is(runtime));
        }
        try (Response ready = target.path("/health/ready").request().get()) {
            assertThat(ready.getStatus(), is(200));
        }
        UUID id = engine.start("feature-approval",
                "{\"featureName\":\"dark mode\",\"description\":\"a theme\",\"estimatedCost\":1000,\"complexity\":2}",
                "least-privilege", null).execution().id();
        io.flowguard.engine.ExecutionSnapshot done = EngineProbe.awaitStatus(engine, id, ExecutionStatus.COMPLETED);
        assertThat(done.state(), containsString("\"decision\":\"APPROVED\""));
        assertThat(retention.sweep().ran(), is(true));
    }
}
