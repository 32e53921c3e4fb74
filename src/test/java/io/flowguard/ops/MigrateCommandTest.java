package io.flowguard.ops;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.TestDatabase;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** {@code migrate} creates the schema on a fresh database, does nothing the second time, and fails loudly. */
class MigrateCommandTest {

    @Test
    void migrateCreatesTheSchemaThenIsIdempotent() throws Exception {
        TestDatabase db = TestDatabase.fresh();
        Config config = configOf(db.config());

        Run first = run(config);
        int historyAfterFirst = countRows(db, "\"flyway_schema_history\"");
        Run second = run(config);

        assertThat(first.exitCode, is(0));
        assertThat(first.out, first.out.matches("(?s).*applied [1-9][0-9]* migration\\(s\\).*"), is(true));
        assertThat(historyAfterFirst, greaterThan(0));
        assertThat(second.exitCode, is(0));
        assertThat(second.out, containsString("applied 0 migration(s)"));
        assertThat(countRows(db, "\"flyway_schema_history\""), is(historyAfterFirst));
        for (String table : new String[] {"flow_execution", "execution_event", "agent_request",
                "idempotency_key", "owner_quota"}) {
            assertThat(table + " exists and is empty", countRows(db, table), is(0));
        }
        if (db.vendor().equals("postgresql")) {
            assertThat("the PostgreSQL-only claim index from db/vendor/postgresql",
                    countRows(db, "pg_indexes WHERE indexname = 'ix_flow_execution_due'"), is(1));
            // each index of the two updated tables is one a store query uses (V5, V6)
            assertThat(indexes(db, "flow_execution"), is(List.of("ix_flow_execution_due", "ix_flow_execution_finished",
                    "ix_flow_execution_owner", "pk_flow_execution")));
            assertThat(indexes(db, "agent_request"), is(List.of("ix_agent_request_deadline", "ix_agent_request_execution",
                    "ix_agent_request_inbox", "pk_agent_request")));
            assertThat("partial: only due, finished or pending rows", countRows(db, "pg_indexes WHERE indexname IN "
                    + "('ix_flow_execution_due', 'ix_flow_execution_finished', 'ix_agent_request_inbox', "
                    + "'ix_agent_request_deadline') AND indexdef LIKE '% WHERE %'"), is(4));
        }
    }

    @Test
    void unreachableDatabaseExitsNonZeroWithOneLine() {
        Config config = configOf(Map.of("flowguard.db.url", "jdbc:postgresql://127.0.0.1:1/flowguard",
                "flowguard.db.pool.connection-timeout", "PT0.5S"));

        Run run = run(config);

        assertThat(run.exitCode, is(1));
        assertThat(run.err, containsString("migrate: failed:"));
        assertThat(run.err.strip().lines().count(), is(1L));
        assertThat(run.err, not(containsString("\tat ")));
    }

    @Test
    void unsupportedDatabaseUrlIsAConfigurationError() {
        Config config = configOf(Map.of("flowguard.db.url", "jdbc:mysql://127.0.0.1/flowguard"));

        Run run = run(config);

        assertThat(run.exitCode, is(2));
        assertThat(run.err, containsString("flowguard.db.url"));
    }

    private static int countRows(TestDatabase db, String table) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<String> indexes(TestDatabase db, String table) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT indexname FROM pg_indexes WHERE tablename = '" + table
                     + "' ORDER BY indexname")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }

    private static Config configOf(Map<String, String> values) {
        return ConfigProviderResolver.instance().getBuilder()
                .withSources(new MapConfigSource("migrate-test", values))
                .build();
    }

    private static Run run(Config config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MigrateCommand.run(config, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String out, String err) {
    }
}
