package io.flowguard.ops;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.flowguard.engine.Progress;
import io.flowguard.json.StrictJson;
import io.flowguard.store.AgentRequest;
import io.flowguard.store.CommitListener;
import io.flowguard.store.DatabaseVendor;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.ExecutionWrite;
import io.flowguard.store.FlowExecution;
import io.flowguard.store.SchemaMigrator;
import io.flowguard.store.Store;
import io.flowguard.testing.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * The real entry point, in its own process on the product's class path (the shipped examples
 * only), started over a database an earlier build left unfinished executions in that this build
 * cannot run: one of {@code feature-approval} version 99 (bumped in place, no longer built) and
 * one waiting at {@code askChief}, a step version 1 no longer has (renamed in place). By default
 * it refuses to start, exit code 1, with one JSON line per missing version and step naming flow,
 * version, step and count, and changes nothing; with {@code flowguard.flows.on-missing=fail-executions}
 * it fails both, as at run time, logs them with counts, and serves.
 */
class DeploymentAtStartupTest {

    private static final Duration STARTUP = Duration.ofMinutes(2);
    private static final String LOG = "io.flowguard.service.DeploymentCheckLog";
    private static final String OWNER = "alice";

    @Test
    void byDefaultTheServiceRefusesToStartNamingEachMissingVersionAndStepWithItsCount(@TempDir Path work)
            throws Exception {
        Path data = work.resolve("data");
        Left left = leaveBehind(data);
        Map<UUID, String> before = rows(data, left);

        try (ServiceProcess service = ServiceProcess.start(List.of(), options(data))) {
            assertThat(service.awaitExit(STARTUP), is(1));

            List<JsonNode> refusals = service.lines(LOG, "SEVERE");
            assertThat(refusals.toString(), refusals, hasSize(2));
            assertThat(refusals.get(0).path("flow").asText(), is("feature-approval"));
            assertThat(refusals.get(0).path("version").asInt(), is(99));
            assertThat(refusals.get(0).has("step"), is(false));
            assertThat(refusals.get(0).path("count").asLong(), is(1L));
            assertThat(refusals.get(0).path("message").asText(), containsString(
                    "flow feature-approval version 99 is not registered (1 unfinished execution)"));
            assertThat(refusals.get(1).path("flow").asText(), is("feature-approval"));
            assertThat(refusals.get(1).path("version").asInt(), is(1));
            assertThat(refusals.get(1).path("step").asText(), is("askChief"));
            assertThat(refusals.get(1).path("count").asLong(), is(1L));
            assertThat(refusals.get(1).path("on_missing").asText(), is("refuse"));
            JsonNode cannotStart = service.lineStartingWith("cannot start: ").orElseThrow();
            assertThat(cannotStart.path("message").asText(), containsString("refusing to start the workers"));
            assertThat(cannotStart.path("message").asText(), containsString("flowguard.flows.on-missing=fail-executions"));
            assertThat("every line JSON, no stack trace", service.notJson(), is(empty()));
        }
        assertThat("nothing changed", rows(data, left), is(before));
    }

    @Test
    void withFailExecutionsTheServiceFailsThemAsAtRunTimeLogsTheCountsAndServes(@TempDir Path work) throws Exception {
        Path data = work.resolve("data");
        Left left = leaveBehind(data);
        List<String> options = new java.util.ArrayList<>(options(data));
        options.add("-Dflowguard.flows.on-missing=fail-executions");

        try (ServiceProcess service = ServiceProcess.start(List.of(), options)) {
            service.awaitPort(STARTUP);

            List<JsonNode> failed = service.lines(LOG, "WARNING");
            assertThat(service.lines().toString(), failed, hasSize(3));
            assertThat(failed.get(0).path("version").asInt(), is(99));
            assertThat(failed.get(0).path("error_type").asText(), is("unknown_flow"));
            assertThat(failed.get(0).path("count").asLong(), is(1L));
            assertThat(failed.get(1).path("step").asText(), is("askChief"));
            assertThat(failed.get(1).path("error_type").asText(), is("unknown_step"));
            assertThat(failed.get(1).path("count").asLong(), is(1L));
            assertThat(failed.get(2).path("failed").asLong(), is(2L));
            assertThat(failed.get(2).path("on_missing").asText(), is("fail-executions"));
            assertThat("every line JSON", service.notJson(), is(empty()));
        }
        Map<UUID, String> after = rows(data, left);
        assertThat(after.get(left.bumped()), is("FAILED unknown_flow"));
        assertThat(after.get(left.renamed()), is("FAILED unknown_step"));
        assertThat(after.get(left.request()), is("CANCELLED"));
        assertThat("both quota slots back", quota(data), is(0));
    }

    private static List<String> options(Path data) {
        return List.of("-Dmp.config.profile=dev", "-Dflowguard.data-dir=" + data, "-Dserver.port=0");
    }

    /** What the earlier build left. */
    private record Left(UUID bumped, UUID renamed, UUID request) {
    }

    /** Migrates the service's embedded database in {@code data} and writes what an earlier build left there. */
    private static Left leaveBehind(Path data) {
        Instant now = Instant.now();
        StrictJson json = new StrictJson();
        try (HikariDataSource ds = dataSource(data)) {
            new SchemaMigrator(ds, DatabaseVendor.H2).migrate();
            try (Store store = Store.open(ds, DatabaseVendor.H2, CommitListener.NONE)) {
                store.createQuota(OWNER, now);
                FlowExecution bumped = new FlowExecution(UUID.randomUUID(), "feature-approval", 99, OWNER,
                        "{\"featureName\":\"old\",\"estimatedCost\":1}", json.write(Progress.starting(List.of("analyze"))),
                        now);
                FlowExecution renamed = new FlowExecution(UUID.randomUUID(), "feature-approval", 1, OWNER,
                        "{\"featureName\":\"old\",\"estimatedCost\":1}",
                        json.write(new Progress(List.of(), Set.of("analyze", "route", "ceo_approval"),
                                Set.of("analyze", "route", "askChief"), Set.of("askChief"), 1)), now);
                renamed.moveTo(ExecutionStatus.RUNNING, now);
                renamed.moveTo(ExecutionStatus.WAITING_AGENT, now);
                renamed.scheduleAt(null);
                AgentRequest request = new AgentRequest(UUID.randomUUID(), renamed.id(), "ceo", "askChief", "Approve?",
                        null, now.plus(Duration.ofDays(1)), now);
                store.transaction(tx -> {
                    tx.insert(new ExecutionWrite(bumped));
                    ExecutionWrite w = new ExecutionWrite(renamed);
                    w.ask(request);
                    tx.insert(w);
                    return null;
                });
                update(ds, "UPDATE owner_quota SET active_count = 2 WHERE owner = '" + OWNER + "'");
                return new Left(bumped.id(), renamed.id(), request.id());
            }
        }
    }

    /** @return each row's status (and error type), and the request's status */
    private static Map<UUID, String> rows(Path data, Left left) throws SQLException {
        Map<UUID, String> rows = new LinkedHashMap<>();
        try (HikariDataSource ds = dataSource(data); Connection c = ds.getConnection()) {
            for (UUID id : List.of(left.bumped(), left.renamed())) {
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT status, error_type, version FROM flow_execution WHERE id = ?")) {
                    s.setObject(1, id);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        rows.put(id, rs.getString(1) + (rs.getString(2) == null ? " v" + rs.getLong(3) : " " + rs.getString(2)));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT status FROM agent_request WHERE id = ?")) {
                s.setObject(1, left.request());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    rows.put(left.request(), rs.getString(1));
                }
            }
        }
        return rows;
    }

    private static int quota(Path data) throws SQLException {
        try (HikariDataSource ds = dataSource(data); Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT active_count FROM owner_quota WHERE owner = ?")) {
            s.setString(1, OWNER);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void update(HikariDataSource ds, String sql) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The URL the dev profile gives the service for this data folder. */
    private static HikariDataSource dataSource(Path data) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl("jdbc:h2:file:" + data.toAbsolutePath().normalize().resolve("flowguard").toString().replace('\\', '/'));
        ds.setMaximumPoolSize(2);
        return ds;
    }
}
