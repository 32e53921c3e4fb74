package io.flowguard.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.flowguard.engine.DeploymentRefused;
import io.flowguard.engine.DeploymentReport;
import io.flowguard.engine.Instances;
import io.flowguard.engine.EngineProbe;
import io.flowguard.engine.Engine;
import io.flowguard.engine.WorkerPool;
import io.flowguard.http.SecurityAudit;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.engine.ExecutionSnapshot;
import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.TestDatabase;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A team upgrades a flow the way teams do: renames a step of a released version, or bumps the
 * version in place so the old one is no longer built. The executions the old build left behind
 * (their rows rewritten here over JDBC as the old build would have left them) must not stick or
 * loop: on claim, on answer and on deadline each ends FAILED with {@code unknown_flow} or
 * {@code unknown_step} in its error and history, gives its owner's quota slot back, is audited
 * once and is never claimed again; an answer to one is a 409 conflict problem.
 *
 * <p>The service runs no workers of its own: the test starts an "old build" pool to park an
 * execution at its question, and a "new build" pool as the upgraded instance. The new build runs
 * its deployment check before the rows are rewritten, as in a rolling deploy where an old
 * instance leaves them after the new one started: so it meets them at run time, the guard under
 * test here. A new build starting after them refuses to start, naming flow, version, step and
 * count. Nothing unfinished of a version or step no build registers is left for the test classes
 * after this one (their services would refuse to start on the shared database).
 */
@HelidonTest
class FlowUpgradeTest {

    private static final String LEAD = TestTokens.token("upgrade-lead", "agent:test_lead");
    private static final String UNBUILT_VERSION = "99";

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.put("flowguard.engine.workers", "0");
        return new MapConfigSource("upgrade", values);
    }

    @Inject
    WebTarget target;
    @Inject
    Engine engine;
    @Inject
    Instances lifecycle;
    @Inject
    io.flowguard.store.Store store;

    private AuditLines audit;
    private Instances.Instance newBuild;
    private final List<String> owners = new ArrayList<>();

    @BeforeEach
    void listen() {
        audit = AuditLines.listen();
        newBuild = lifecycle.newPool("new-build-" + UUID.randomUUID().toString().substring(0, 8), 1);
        newBuild.checkDeployment();
    }

    @AfterEach
    void stop() throws SQLException {
        newBuild.stop(Duration.ofSeconds(5));
        audit.close();
        // a test that failed half way may have left its rewritten rows unfinished: they go
        try (Connection c = TestDatabase.shared().connect(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM flow_execution WHERE owner = ? AND status IN ('PENDING', 'RUNNING', 'WAITING_AGENT')")) {
            for (String owner : owners) {
                s.setString(1, owner);
                s.executeUpdate();
            }
        }
    }

    @Test
    void aNewBuildStartingAfterTheOldOneLeftAVersionItDoesNotBuildRefusesToStartNamingItsCount() throws Exception {
        String owner = owner();
        UUID id = parkedAtItsQuestion(owner);
        String request = requestOf(id);
        update("UPDATE flow_execution SET flow_version = " + UNBUILT_VERSION + " WHERE id = ?", id);
        Instances.Instance late = lifecycle.newPool("late-build-" + UUID.randomUUID().toString().substring(0, 8), 1);

        DeploymentRefused refused = assertThrows(DeploymentRefused.class, late::start);

        assertThat(refused.report().missingVersions(), contains(new DeploymentReport.MissingVersion("test-wait",
                Integer.parseInt(UNBUILT_VERSION), 1)));
        assertThat(engine.get(id).orElseThrow().status(), is(ExecutionStatus.WAITING_AGENT));
        try (Response r = answer(request)) {
            assertConflict(r, "unknown_flow");
        }
    }

    @Test
    void aNewBuildStartingAfterTheOldOneLeftAStepItRenamedRefusesToStartNamingItsCount() throws Exception {
        String owner = owner();
        UUID id = parkedAtItsQuestion(owner);
        String request = requestOf(id);
        renameStep(id, "ask", "askBeforeRename");
        Instances.Instance late = lifecycle.newPool("late-build-" + UUID.randomUUID().toString().substring(0, 8), 1);

        DeploymentRefused refused = assertThrows(DeploymentRefused.class, late::start);

        assertThat(refused.report().missingSteps(), contains(new DeploymentReport.MissingStep("test-wait", 1,
                "askBeforeRename", 1)));
        try (Response r = answer(request)) {
            assertConflict(r, "unknown_step");
        }
    }

    @Test
    void anAnswerToAVersionNoLongerBuiltIsAConflictAndFailsTheExecutionWithUnknownFlow() throws Exception {
        String owner = owner();
        UUID id = parkedAtItsQuestion(owner);
        String request = requestOf(id);
        update("UPDATE flow_execution SET flow_version = " + UNBUILT_VERSION + " WHERE id = ?", id);
        newBuild.start();

        try (Response r = answer(request)) {
            assertConflict(r, "unknown_flow");
        }

        assertFailedAlone(id, owner, "unknown_flow");
        assertThat(requestStatus(request), is("CANCELLED"));
    }

    @Test
    void anAnswerToAStepRenamedSinceIsAConflictAndFailsTheExecutionWithUnknownStep() throws Exception {
        String owner = owner();
        UUID id = parkedAtItsQuestion(owner);
        String request = requestOf(id);
        renameStep(id, "ask", "askBeforeRename");
        newBuild.start();

        try (Response r = answer(request)) {
            assertConflict(r, "unknown_step");
        }

        assertFailedAlone(id, owner, "unknown_step");
        assertThat(requestStatus(request), is("CANCELLED"));
    }

    @Test
    void theDeadlineOfAVersionNoLongerBuiltFailsTheExecutionWithUnknownFlow() throws Exception {
        String owner = owner();
        UUID id = parkedAtItsQuestion(owner);
        update("UPDATE flow_execution SET flow_version = " + UNBUILT_VERSION + " WHERE id = ?", id);
        deadlinePassed(id);

        newBuild.start();

        assertFailedAlone(id, owner, "unknown_flow");
        assertThat(EngineProbe.types(engine, id), hasItem("TIMED_OUT"));
    }

    @Test
    void theDeadlineOfAStepRenamedSinceFailsTheExecutionWithUnknownStep() throws Exception {
        String owner = owner();
        UUID id = parkedAtItsQuestion(owner);
        renameStep(id, "ask", "askBeforeRename");
        deadlinePassed(id);

        newBuild.start();

        assertFailedAlone(id, owner, "unknown_step");
    }

    @Test
    void aClaimOfAVersionNoLongerBuiltFailsTheExecutionWithUnknownFlow() throws Exception {
        String owner = owner();
        UUID id = start(owner);
        assertThat(engine.get(id).orElseThrow().status(), is(ExecutionStatus.PENDING));
        update("UPDATE flow_execution SET flow_version = " + UNBUILT_VERSION + " WHERE id = ?", id);

        newBuild.start();

        assertFailedAlone(id, owner, "unknown_flow");
    }

    @Test
    void aClaimWhoseNextStepWasRenamedBetweenStepsFailsTheExecutionWithUnknownStep() throws Exception {
        String owner = owner();
        UUID id = parkedAtItsQuestion(owner);
        try (Response r = answer(requestOf(id))) {
            assertThat("no worker runs here: answered, the next step waits for a claim", r.getStatus(), is(200));
        }
        ExecutionSnapshot answered = engine.get(id).orElseThrow();
        assertThat(answered.status(), is(ExecutionStatus.RUNNING));
        assertThat(store.transaction(tx -> tx.execution(id)).progress(), containsString("\"queue\":[\"answered\"]"));
        renameStep(id, "answered", "answeredBeforeRename");

        newBuild.start();

        assertFailedAlone(id, owner, "unknown_step");
    }

    @Test
    void aClaimOfAnExecutionWhoseProgressIsUnreadableFailsItAndGivesItsQuotaSlotBack() throws Exception {
        String owner = owner();
        UUID id = start(owner);
        update("UPDATE flow_execution SET progress = '{\"queue\": [' WHERE id = ?", id);

        newBuild.start();

        ExecutionSnapshot failed = EngineProbe.awaitFinished(engine, id);
        assertThat(failed.status(), is(ExecutionStatus.FAILED));
        assertThat(failed.errorType(), is("corrupt_execution"));
        assertThat(failed.leaseOwner(), nullValue());
        assertThat(activeCount(owner), is(0));
    }

    /**
     * FAILED with the error in the row and the history, the quota slot back, exactly one audit
     * line, no lease and no schedule; and after the new build has since claimed and run another
     * execution, the row has not changed again (it is not claimed in a loop).
     */
    private void assertFailedAlone(UUID id, String owner, String errorType) throws Exception {
        ExecutionSnapshot failed = EngineProbe.awaitFinished(engine, id);
        assertThat(failed.status(), is(ExecutionStatus.FAILED));
        assertThat(failed.errorType(), is(errorType));
        assertThat(failed.leaseOwner(), nullValue());
        assertThat(failed.nextRunAt(), nullValue());
        assertThat(EngineProbe.types(engine, id), hasItem("FAILED"));
        assertThat(activeCount(owner), is(0));
        // written after the commit that made it FAILED (a reader may see the row first)
        Await.until("the audit line", EngineProbe.WAIT, () -> auditLines(id, errorType) > 0);
        assertThat(auditLines(id, errorType), is(1L));

        UUID later = start(owner());
        EngineProbe.awaitStatus(engine, later, ExecutionStatus.WAITING_AGENT);
        ExecutionSnapshot after = engine.get(id).orElseThrow();
        assertThat("not touched again", after.version(), is(failed.version()));
        assertThat(after.lastEventSeq(), is(failed.lastEventSeq()));
        assertThat(auditLines(id, errorType), is(1L));
    }

    private void assertConflict(Response r, String errorType) {
        assertThat(r.getStatus(), is(409));
        assertThat(r.getMediaType().toString(), is("application/problem+json"));
        JsonObject problem = r.readEntity(JsonObject.class);
        assertThat(problem.getString("type"), is("urn:flowguard:problem:conflict"));
        assertThat(problem.getString("detail"), containsString(errorType));
    }

    private long auditLines(UUID id, String errorType) {
        return audit.all().stream().filter(l -> l.contains(id.toString()) && l.contains(errorType)).count();
    }

    private String owner() {
        String owner = "upgrade-" + UUID.randomUUID();
        owners.add(owner);
        return owner;
    }

    private UUID start(String owner) {
        try (Response r = target.path("/executions").request()
                .header("Authorization", "Bearer " + TestTokens.token(owner, "flow-user"))
                .post(Entity.json("{\"flow\":\"test-wait\",\"input\":{}}"))) {
            assertThat(r.getStatus(), is(201));
            return UUID.fromString(r.readEntity(JsonObject.class).getString("id"));
        }
    }

    /** Started and run by the old build up to its question, which waits for the test lead. */
    private UUID parkedAtItsQuestion(String owner) {
        UUID id = start(owner);
        Instances.Instance oldBuild = lifecycle.newPool("old-build-" + UUID.randomUUID().toString().substring(0, 8), 1);
        oldBuild.start();
        try {
            EngineProbe.awaitStatus(engine, id, ExecutionStatus.WAITING_AGENT);
        } finally {
            oldBuild.stop(Duration.ofSeconds(5));
        }
        assertThat(activeCount(owner), is(1));
        return id;
    }

    private String requestOf(UUID id) {
        String[] found = new String[1];
        Await.until("the request of " + id, Duration.ofSeconds(30), () -> {
            try (Response r = target.path("/agent-requests").queryParam("execution", id.toString()).request()
                    .header("Authorization", "Bearer " + LEAD).get()) {
                r.readEntity(JsonArray.class).getValuesAs(JsonObject.class).stream()
                        .filter(o -> o.getString("executionId").equals(id.toString())).findFirst()
                        .ifPresent(o -> found[0] = o.getString("id"));
            }
            return found[0] != null;
        });
        return found[0];
    }

    private Response answer(String request) {
        return target.path("/agent-requests/" + request + "/answer").request()
                .header("Authorization", "Bearer " + LEAD).post(Entity.json("{\"ok\":true}"));
    }

    /** What the old build stored under the step's old name: its progress and its agent requests. */
    private static void renameStep(UUID id, String now, String before) throws SQLException {
        try (Connection c = TestDatabase.shared().connect();
             PreparedStatement progress = c.prepareStatement(
                     "UPDATE flow_execution SET progress = REPLACE(progress, ?, ?) WHERE id = ?");
             PreparedStatement requests = c.prepareStatement(
                     "UPDATE agent_request SET step = ? WHERE execution_id = ? AND step = ?")) {
            progress.setString(1, "\"" + now + "\"");
            progress.setString(2, "\"" + before + "\"");
            progress.setObject(3, id);
            assertThat(progress.executeUpdate(), is(1));
            requests.setString(1, before);
            requests.setObject(2, id);
            requests.setString(3, now);
            requests.executeUpdate();
        }
    }

    /** Time has passed the question's deadline (the new build's sweeper finds it due). */
    private static void deadlinePassed(UUID id) throws SQLException {
        try (Connection c = TestDatabase.shared().connect();
             PreparedStatement s = c.prepareStatement("UPDATE agent_request SET deadline = ? WHERE execution_id = ?")) {
            s.setObject(1, Instant.now().minusSeconds(1).atOffset(ZoneOffset.UTC));
            s.setObject(2, id);
            assertThat(s.executeUpdate(), is(1));
        }
    }

    private static void update(String sql, UUID id) throws SQLException {
        try (Connection c = TestDatabase.shared().connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, id);
            assertThat(s.executeUpdate(), is(1));
        }
    }

    private static String requestStatus(String request) throws SQLException {
        try (Connection c = TestDatabase.shared().connect();
             PreparedStatement s = c.prepareStatement("SELECT status FROM agent_request WHERE id = ?")) {
            s.setObject(1, UUID.fromString(request));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static int activeCount(String owner) {
        try (Connection c = TestDatabase.shared().connect();
             PreparedStatement s = c.prepareStatement("SELECT active_count FROM owner_quota WHERE owner = ?")) {
            s.setString(1, owner);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
