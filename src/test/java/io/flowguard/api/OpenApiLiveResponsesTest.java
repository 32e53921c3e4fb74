package io.flowguard.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.WebTarget;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static io.flowguard.api.ApiContract.get;
import static io.flowguard.api.ApiContract.post;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * Every operation of the served {@code /openapi}, called on the real server with real tokens, and
 * each answer checked against the document by {@link ApiContract}: success and the problem
 * responses each operation declares (400, 401, 403, 404, 406, 409, 412, 413, 415, 422, 429), the
 * headers of each (Location, ETag, Idempotency-Replayed, Preference-Applied, X-Request-Id) and
 * the events of the live stream. The last test requires that every operation was exercised.
 */
@HelidonTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiLiveResponsesTest {

    /** The owners' quota in this test: QUOTA starts pass, one more is 429. */
    private static final int QUOTA = 4;

    private static final String ALICE = TestTokens.token("contract-alice", "flow-user");
    private static final String BOB = TestTokens.token("contract-bob", "flow-user");
    private static final String CEO = TestTokens.token("contract-carol", "agent:ceo");
    private static final String CTO = TestTokens.token("contract-dan", "agent:cto");
    private static final String ADMIN = TestTokens.token("contract-admin", "flow-admin");
    private static final String APPROVAL =
            "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"contract\",\"estimatedCost\":2000000}}";

    private static ApiContract contract;

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.put("flowguard.quota.max-active-executions", Integer.toString(QUOTA));
        return new MapConfigSource("contract", values);
    }

    @Inject
    WebTarget target;

    @BeforeEach
    void contract() {
        if (contract == null) {
            contract = ApiContract.of(target.getUri());
        }
    }

    private static ApiContract.Answer send(ApiContract.Call call) {
        return contract.send(call);
    }

    private static JsonObject object(ApiContract.Answer answer) {
        return Json.createReader(new java.io.StringReader(answer.body())).readObject();
    }

    private static JsonArray array(ApiContract.Answer answer) {
        return Json.createReader(new java.io.StringReader(answer.body())).readArray();
    }

    private static void assertProblem(ApiContract.Answer answer, int status, String slug) {
        assertThat(answer.body(), answer.status(), is(status));
        assertThat(answer.header("Content-Type"), startsWith("application/problem+json"));
        assertThat(answer.body(), containsString("\"urn:flowguard:problem:" + slug + "\""));
    }

    /** Starts an approval that waits for the CEO (the answer waits until it does). */
    private static JsonObject startWaiting(String token) {
        ApiContract.Answer started = send(post("/executions").token(token).header("Prefer", "wait=10").json(APPROVAL));
        assertThat(started.body(), started.status(), is(201));
        assertThat(started.header("Preference-Applied"), is("wait=10"));
        JsonObject execution = object(started);
        assertThat(execution.getString("status"), is("WAITING_AGENT"));
        return execution;
    }

    @Test
    @Order(1)
    void executionsAnswerAsDocumented() {
        JsonObject waiting = startWaiting(ALICE);
        String id = waiting.getString("id");
        assertThat(waiting.getJsonArray("waitingFor"), hasSize(1));

        String key = "contract-" + UUID.randomUUID();
        ApiContract.Answer first = send(post("/executions").token(ALICE).header("Idempotency-Key", key).json(APPROVAL));
        assertThat(first.status(), is(201));
        assertThat(first.header("Location"), is("/executions/" + object(first).getString("id")));
        ApiContract.Answer replay = send(post("/executions").token(ALICE).header("Idempotency-Key", key).json(APPROVAL));
        assertThat(replay.status(), is(200));
        assertThat(replay.header("Idempotency-Replayed"), is("true"));
        assertProblem(send(post("/executions").token(ALICE).header("Idempotency-Key", key)
                .json(APPROVAL.replace("contract", "another"))), 422, "idempotency-key-reused");

        assertProblem(send(post("/executions").token(ALICE).json("{\"flow\":\"no-such-flow\",\"input\":{}}")),
                422, "unknown-flow");
        assertProblem(send(post("/executions").token(ALICE).json("{\"flow\":\"Not A Name\",\"input\":{}}").refused()),
                400, "invalid-input");
        assertProblem(send(post("/executions").json(APPROVAL).refused()), 401, "unauthenticated");
        assertProblem(send(post("/executions").token(CEO).json(APPROVAL)), 403, "forbidden");
        assertProblem(send(post("/executions").token(ALICE).body("text/plain", APPROVAL).refused()),
                415, "unsupported-media-type");
        assertProblem(send(post("/executions").token(ALICE).json("{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\""
                + "x".repeat(16_384 + 1_048_576) + "\"}}").refused()), 413, "payload-too-large");

        String quotaOwner = TestTokens.token("contract-quota-" + UUID.randomUUID(), "flow-user");
        for (int i = 0; i < QUOTA; i++) {
            assertThat(send(post("/executions").token(quotaOwner).json(APPROVAL)).status(), is(201));
        }
        assertProblem(send(post("/executions").token(quotaOwner).json(APPROVAL)), 429, "quota-exceeded");

        assertThat(array(send(get("/executions?status=WAITING_AGENT&limit=1&offset=0").token(ALICE))), hasSize(1));
        assertThat(array(send(get("/executions?owner=contract-alice").token(ADMIN))).isEmpty(), is(false));
        assertProblem(send(get("/executions?limit=0").token(ALICE).refused()), 400, "invalid-input");
        assertProblem(send(get("/executions?owner=contract-bob").token(ALICE)), 403, "forbidden");
        assertProblem(send(get("/executions").refused()), 401, "unauthenticated");

        ApiContract.Answer read = send(get("/executions/" + id).token(ALICE));
        assertThat(read.status(), is(200));
        String etag = read.header("ETag");
        assertThat(send(get("/executions/" + id).token(ALICE).header("If-None-Match", etag)).status(), is(304));
        ApiContract.Answer waited = send(get("/executions/" + id).token(ALICE).header("If-None-Match", etag)
                .header("Prefer", "wait=1"));
        assertThat(waited.status(), is(304));
        assertThat(waited.header("Preference-Applied"), is("wait=1"));
        assertProblem(send(get("/executions/" + id).token(ALICE).header("If-None-Match", "3")), 400, "invalid-input");
        assertProblem(send(get("/executions/" + id).token(BOB)), 404, "not-found");
        assertProblem(send(get("/executions/" + UUID.randomUUID()).token(ALICE)), 404, "not-found");
        assertProblem(send(get("/executions/" + id).token(ALICE).header("Accept", "text/html").refused()), 406, "not-acceptable");

        assertThat(array(send(get("/executions/" + id + "/events?after=0").token(ALICE))).isEmpty(), is(false));
        assertProblem(send(get("/executions/" + id + "/events?after=-1").token(ALICE).refused()), 400, "invalid-input");
        assertProblem(send(get("/executions/" + UUID.randomUUID() + "/events").token(ALICE)), 404, "not-found");

        String toCancel = object(send(post("/executions").token(ALICE).json(APPROVAL))).getString("id");
        String cancel = "/executions/" + toCancel + "/cancel";
        assertProblem(send(post(cancel).token(ALICE).header("If-Match", "\"999\"")), 412, "stale-version");
        assertProblem(send(post(cancel).token(ALICE).body("text/plain", "{}").refused()), 415, "unsupported-media-type");
        assertProblem(send(post(cancel).token(ALICE).json("{\"reason\":\"" + "x".repeat(4096) + "\"}").refused()),
                413, "payload-too-large");
        ApiContract.Answer cancelled = send(post(cancel).token(ALICE).json("{\"reason\":\"contract\"}"));
        assertThat(cancelled.status(), is(200));
        assertThat(object(cancelled).getString("status"), is("CANCELLED"));
        assertProblem(send(post(cancel).token(ALICE)), 409, "conflict");
        assertProblem(send(post("/executions/" + UUID.randomUUID() + "/cancel").token(ALICE)), 404, "not-found");

        // a finished execution's stream sends its whole history, then `end`, and closes
        ApiContract.Answer stream = send(get("/executions/" + toCancel + "/stream").token(ALICE)
                .header("Accept", "text/event-stream"));
        assertThat(stream.status(), is(200));
        List<String> names = new ArrayList<>();
        for (String block : stream.body().split("\n\n")) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
            if (!data.isEmpty()) {
                names.add(name);
                if (!name.equals("end")) {
                    contract.assertValid(data.toString(), "Event");
                }
            }
        }
        assertThat(names.get(0), is("CREATED"));
        assertThat(names.get(names.size() - 1), is("end"));
        assertThat(names.contains("CANCELLED"), is(true));
        assertProblem(send(get("/executions/" + toCancel + "/stream").token(ALICE).header("Accept", "text/event-stream")
                .header("Last-Event-ID", "x").refused()), 400, "invalid-input");
        assertProblem(send(get("/executions/" + UUID.randomUUID() + "/stream").token(ALICE)
                .header("Accept", "text/event-stream")), 404, "not-found");
    }

    @Test
    @Order(2)
    void agentRequestsAnswerAsDocumented() {
        JsonObject waiting = startWaiting(ALICE);
        String execution = waiting.getString("id");
        String requestId = waiting.getJsonArray("waitingFor").getJsonObject(0).getString("id");

        ApiContract.Answer inbox = send(get("/agent-requests?execution=" + execution).token(CEO));
        assertThat(array(inbox), hasSize(1));
        assertThat(array(inbox).getJsonObject(0).getString("id"), is(requestId));
        ApiContract.Answer empty = send(get("/agent-requests?execution=" + execution).token(CTO).header("Prefer", "wait=1"));
        assertThat(array(empty).isEmpty(), is(true));
        assertThat(empty.header("Preference-Applied"), is("wait=1"));
        assertProblem(send(get("/agent-requests").token(ALICE)), 403, "forbidden");
        assertProblem(send(get("/agent-requests?execution=42").token(CEO).refused()), 400, "invalid-input");
        assertProblem(send(get("/agent-requests").refused()), 401, "unauthenticated");

        String answer = "/agent-requests/" + requestId + "/answer";
        assertProblem(send(post(answer).token(CTO).json("{\"approved\":true}")), 403, "forbidden");
        assertProblem(send(post(answer).token(CEO).body("text/plain", "{\"approved\":true}").refused()),
                415, "unsupported-media-type");
        assertProblem(send(post(answer).token(CEO).json("{\"comment\":\"" + "x".repeat(65_536) + "\"}").refused()),
                413, "payload-too-large");
        assertProblem(send(post(answer).token(CEO).json("{\"approved\":\"yes\"}")), 400, "invalid-input");
        assertProblem(send(post("/agent-requests/" + UUID.randomUUID() + "/answer").token(CEO)
                .json("{\"approved\":true}")), 404, "not-found");
        ApiContract.Answer answered = send(post(answer).token(CEO).header("Prefer", "wait=10")
                .json("{\"approved\":true,\"comment\":\"contract\"}"));
        assertThat(answered.status(), is(200));
        assertThat(object(answered).getString("executionStatus"), is("COMPLETED"));
        assertThat(answered.header("Preference-Applied"), is("wait=10"));
        assertProblem(send(post(answer).token(CEO).json("{\"approved\":true}")), 409, "conflict");
    }

    @Test
    @Order(3)
    void flowsHealthAndMetricsAnswerAsDocumented() {
        assertThat(array(send(get("/flows").token(ALICE))).isEmpty(), is(false));
        assertThat(object(send(get("/flows/feature-approval").token(ALICE))).getString("name"), is("feature-approval"));
        assertProblem(send(get("/flows/no-such-flow").token(ALICE)), 404, "not-found");
        assertProblem(send(get("/flows").token(CEO)), 403, "forbidden");
        assertProblem(send(get("/flows").refused()), 401, "unauthenticated");
        assertProblem(send(get("/flows").token(ALICE).header("Accept", "text/html").refused()), 406, "not-acceptable");
        assertProblem(send(get("/flows?x=1&x=2").token(ALICE).refused()), 400, "invalid-input");

        for (String probe : List.of("/health", "/health/live", "/health/ready")) {
            assertThat(object(send(get(probe))).getString("status"), is("UP"));
        }
        String migrations = "/flows/test-migrating/migrations";
        String dryRun = "{\"from\":1,\"to\":2,\"dryRun\":true,\"limit\":10}";
        ApiContract.Answer report = send(post(migrations).token(ADMIN).json(dryRun));
        assertThat(report.body(), report.status(), is(200));
        assertThat(object(report).getBoolean("dryRun"), is(true));
        assertProblem(send(post(migrations).token(ADMIN).json(dryRun.replace("10", "501")).refused()), 400, "invalid-input");
        assertProblem(send(post(migrations).token(ALICE).json(dryRun)), 403, "forbidden");
        assertProblem(send(post(migrations).json(dryRun).refused()), 401, "unauthenticated");
        assertProblem(send(post("/flows/no-such-flow/migrations").token(ADMIN).json(dryRun)), 404, "not-found");
        assertProblem(send(post(migrations).token(ADMIN).json(dryRun.replace("\"to\":2", "\"to\":3"))), 422, "no-migration");
        assertProblem(send(post(migrations).token(ADMIN).body("text/plain", dryRun).refused()), 415, "unsupported-media-type");

        assertThat(send(get("/metrics").token(ADMIN)).body(), containsString("# TYPE"));
        assertProblem(send(get("/metrics").token(ALICE)), 403, "forbidden");
        assertProblem(send(get("/metrics").refused()), 401, "unauthenticated");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void everyOperationWasCalledAndAnsweredWithSuccess() {
        Map<String, Set<Integer>> seen = new TreeMap<>(contract.seen());
        List<String> missing = new ArrayList<>();
        for (String operation : contract.operationIds()) {
            Set<Integer> statuses = seen.getOrDefault(operation, Set.of());
            if (statuses.stream().noneMatch(s -> s < 400)) {
                missing.add(operation);
            }
        }
        assertThat("operations never answered with success: " + missing + "; seen: " + seen, missing.isEmpty(), is(true));
    }
}
