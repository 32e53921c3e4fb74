package io.flowguard.api;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.flowguard.api.HostileRequests.Case;
import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.RowCounts;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static io.flowguard.api.HostileRequests.Case.of;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Every endpoint against malformed JSON, wrong types, huge numbers, unknown fields, overlong
 * strings and bad ids, headers and parameters (validation), and against callers without the
 * right role or owner (authorization): each gets its problem and changes nothing.
 */
@HelidonTest
class ApiValidationTest {

    private static final String OWNER = "val-owner-" + UUID.randomUUID();
    private static final String USER = TestTokens.token(OWNER, "flow-user");
    private static final String OTHER_SUBJECT = "val-other-" + UUID.randomUUID();
    private static final String OTHER = TestTokens.token(OTHER_SUBJECT, "flow-user");
    private static final String NO_ROLE = TestTokens.token("val-nobody", "nobody");
    private static final String CEO = TestTokens.token("val-ceo", "agent:ceo");
    private static final String CTO = TestTokens.token("val-cto", "agent:cto", "flow-user");
    private static final String[] WATCHED = {OWNER, OTHER_SUBJECT, "val-nobody", "val-ceo", "val-cto"};

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    /** An execution waiting for the CEO, and its request, that every case aims at. */
    private record Target(String execution, String request) {
    }

    private Target waitingExecution() {
        String id;
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + USER)
                .post(Entity.json("{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":5000000}}"))) {
            assertThat(r.getStatus(), is(201));
            id = r.readEntity(JsonObject.class).getString("id");
        }
        String[] request = new String[1];
        Await.until("the CEO is asked", Duration.ofSeconds(30), () -> {
            try (Response r = target.path("/agent-requests").request().header("Authorization", "Bearer " + CEO).get()) {
                r.readEntity(JsonArray.class).getValuesAs(JsonObject.class).stream()
                        .filter(o -> o.getString("executionId").equals(id)).findFirst()
                        .ifPresent(o -> request[0] = o.getString("id"));
            }
            return request[0] != null;
        });
        Await.until("the execution is parked", Duration.ofSeconds(30), () -> {
            try (Response r = target.path("/executions/" + id).request().header("Authorization", "Bearer " + USER).get()) {
                return r.readEntity(JsonObject.class).getString("status").equals("WAITING_AGENT");
            }
        });
        return new Target(id, request[0]);
    }

    private URI base() {
        return target.getUri();
    }

    @Test
    void everyEndpointRefusesBadInputAndChangesNothing() {
        Target t = waitingExecution();
        String exec = "/executions/" + t.execution();
        String answer = "/agent-requests/" + t.request() + "/answer";
        String deep = "[".repeat(100) + "]".repeat(100);
        String longName = "x".repeat(101);
        List<Case> cases = new ArrayList<>();

        // POST /executions
        String start = "/executions";
        cases.add(of("start: malformed JSON", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":", 400, "invalid-input"));
        cases.add(of("start: empty body", "POST", start, USER, "", 400, "invalid-input"));
        cases.add(of("start: null", "POST", start, USER, "null", 400, "invalid-input"));
        cases.add(of("start: array", "POST", start, USER, "[]", 400, "invalid-input"));
        cases.add(of("start: string", "POST", start, USER, "\"feature-approval\"", 400, "invalid-input"));
        cases.add(of("start: trailing data", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":1}} {}", 400, "invalid-input"));
        cases.add(of("start: flow is a number", "POST", start, USER, "{\"flow\":5,\"input\":{}}", 400, "invalid-input"));
        cases.add(of("start: flow missing", "POST", start, USER, "{\"input\":{}}", 400, "invalid-input"));
        cases.add(of("start: flow too long", "POST", start, USER, "{\"flow\":\"" + longName + "\",\"input\":{}}", 400, "invalid-input"));
        cases.add(of("start: flow is a path", "POST", start, USER, "{\"flow\":\"../../etc/passwd\",\"input\":{}}", 400, "invalid-input"));
        cases.add(of("start: flow is a class name", "POST", start, USER, "{\"flow\":\"io.flowguard.examples.FeatureApprovalFlow\",\"input\":{}}", 400, "invalid-input"));
        cases.add(of("start: unknown flow", "POST", start, USER, "{\"flow\":\"no-such-flow\",\"input\":{}}", 422, "unknown-flow"));
        cases.add(of("start: input is a string", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":\"x\"}", 400, "invalid-input"));
        cases.add(of("start: input is an array", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":[]}", 400, "invalid-input"));
        cases.add(of("start: input missing", "POST", start, USER, "{\"flow\":\"feature-approval\"}", 400, "invalid-input"));
        cases.add(of("start: mass-assigned owner", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":1},\"owner\":\"" + OTHER_SUBJECT + "\"}", 400, "invalid-input"));
        cases.add(of("start: mass-assigned status", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":1},\"status\":\"COMPLETED\"}", 400, "invalid-input"));
        cases.add(of("start: mass-assigned version", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":1},\"version\":99}", 400, "invalid-input"));
        cases.add(of("start: duplicate key", "POST", start, USER, "{\"flow\":\"feature-approval\",\"flow\":\"campaign-launch\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":1}}", 400, "invalid-input"));
        cases.add(of("start: unknown input field", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":1,\"isAdmin\":true}}", 400, "invalid-input"));
        cases.add(of("start: cost is text", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":\"lots\"}}", 400, "invalid-input"));
        cases.add(of("start: cost is a fraction", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":1.5}}", 400, "invalid-input"));
        cases.add(of("start: cost overflows a long", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":99999999999999999999999}}", 400, "invalid-input"));
        cases.add(of("start: cost is 1e400", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":1e400}}", 400, "invalid-input"));
        cases.add(of("start: a 100-digit number", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":" + "9".repeat(100) + "}}", 400, "invalid-input"));
        cases.add(of("start: cost over its maximum", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":1000000000001}}", 400, "invalid-input"));
        cases.add(of("start: negative cost", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":-1}}", 400, "invalid-input"));
        cases.add(of("start: complexity out of range", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":1,\"complexity\":11}}", 400, "invalid-input"));
        cases.add(of("start: blank feature name", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\" \",\"estimatedCost\":1}}", 400, "invalid-input"));
        cases.add(of("start: feature name too long", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"" + "n".repeat(201) + "\",\"estimatedCost\":1}}", 400, "invalid-input"));
        cases.add(of("start: nesting 100 deep", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":1,\"x\":" + deep + "}}", 400, "invalid-input"));
        cases.add(of("start: text/plain", "POST", start, USER, "{}", 415, "unsupported-media-type").withContentType("text/plain"));
        cases.add(of("start: XML", "POST", start, USER, "<flow/>", 415, "unsupported-media-type").withContentType("application/xml"));
        cases.add(of("start: form", "POST", start, USER, "flow=feature-approval", 415, "unsupported-media-type").withContentType("application/x-www-form-urlencoded"));
        cases.add(of("start: idempotency key too long", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":1}}", 400, "invalid-input").withHeader("Idempotency-Key", "k".repeat(256)));
        cases.add(of("start: idempotency key with spaces", "POST", start, USER, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":1}}", 400, "invalid-input").withHeader("Idempotency-Key", "a b"));
        cases.add(of("start: PUT", "PUT", start, USER, "{}", 405, "method-not-allowed"));
        cases.add(of("start: DELETE", "DELETE", start, USER, null, 405, "method-not-allowed"));

        // GET /executions
        cases.add(of("list: unknown status", "GET", "/executions?status=DONE", USER, null, 400, "invalid-input"));
        cases.add(of("list: status lower case", "GET", "/executions?status=running", USER, null, 400, "invalid-input"));
        cases.add(of("list: limit is text", "GET", "/executions?limit=abc", USER, null, 400, "invalid-input"));
        cases.add(of("list: limit 0", "GET", "/executions?limit=0", USER, null, 400, "invalid-input"));
        cases.add(of("list: limit 501", "GET", "/executions?limit=501", USER, null, 400, "invalid-input"));
        cases.add(of("list: limit huge", "GET", "/executions?limit=99999999999999999999", USER, null, 400, "invalid-input"));
        cases.add(of("list: offset negative", "GET", "/executions?offset=-1", USER, null, 400, "invalid-input"));
        cases.add(of("list: offset fraction", "GET", "/executions?offset=1.5", USER, null, 400, "invalid-input"));
        cases.add(of("list: XML wanted", "GET", "/executions", USER, null, 406, "not-acceptable").withHeader("Accept", "application/xml"));

        // GET /executions/{id}, /events
        cases.add(of("get: id not a UUID", "GET", "/executions/not-a-uuid", USER, null, 404, "not-found"));
        cases.add(of("get: id too long", "GET", "/executions/" + "a".repeat(2000), USER, null, 404, "not-found"));
        cases.add(of("get: SQL in the id", "GET", "/executions/1'%20OR%20'1'='1", USER, null, 404, "not-found"));
        cases.add(of("get: unknown id", "GET", "/executions/" + UUID.randomUUID(), USER, null, 404, "not-found"));
        cases.add(of("get: DELETE", "DELETE", exec, USER, null, 405, "method-not-allowed"));
        cases.add(of("get: PATCH", "PATCH", exec, USER, "{\"status\":\"COMPLETED\"}", 405, "method-not-allowed"));
        cases.add(of("events: after is text", "GET", exec + "/events?after=x", USER, null, 400, "invalid-input"));
        cases.add(of("events: after negative", "GET", exec + "/events?after=-5", USER, null, 400, "invalid-input"));
        cases.add(of("events: unknown id", "GET", "/executions/" + UUID.randomUUID() + "/events", USER, null, 404, "not-found"));

        // POST /executions/{id}/cancel
        cases.add(of("cancel: malformed body", "POST", exec + "/cancel", USER, "{\"reason\":", 400, "invalid-input"));
        cases.add(of("cancel: unknown field", "POST", exec + "/cancel", USER, "{\"status\":\"COMPLETED\"}", 400, "invalid-input"));
        cases.add(of("cancel: reason is a number", "POST", exec + "/cancel", USER, "{\"reason\":5}", 400, "invalid-input"));
        cases.add(of("cancel: reason too long", "POST", exec + "/cancel", USER, "{\"reason\":\"" + "r".repeat(501) + "\"}", 400, "invalid-input"));
        cases.add(of("cancel: If-Match not a version", "POST", exec + "/cancel", USER, null, 400, "invalid-input").withHeader("If-Match", "\"abc\""));
        cases.add(of("cancel: stale If-Match", "POST", exec + "/cancel", USER, null, 412, "stale-version").withHeader("If-Match", "\"0\""));
        cases.add(of("cancel: unknown id", "POST", "/executions/" + UUID.randomUUID() + "/cancel", USER, null, 404, "not-found"));
        cases.add(of("cancel: GET", "GET", exec + "/cancel", USER, null, 405, "method-not-allowed"));

        // GET /agent-requests, POST /agent-requests/{id}/answer
        cases.add(of("answer: malformed JSON", "POST", answer, CEO, "{\"approved\":", 400, "invalid-input"));
        cases.add(of("answer: array", "POST", answer, CEO, "[true]", 400, "invalid-input"));
        cases.add(of("answer: empty body", "POST", answer, CEO, "", 400, "invalid-input"));
        cases.add(of("answer: approved is text", "POST", answer, CEO, "{\"approved\":\"yes\"}", 400, "invalid-input"));
        cases.add(of("answer: approved is 1", "POST", answer, CEO, "{\"approved\":1}", 400, "invalid-input"));
        cases.add(of("answer: approved missing", "POST", answer, CEO, "{\"comment\":\"ok\"}", 400, "invalid-input"));
        cases.add(of("answer: unknown field", "POST", answer, CEO, "{\"approved\":true,\"answeredBy\":\"ceo\"}", 400, "invalid-input"));
        cases.add(of("answer: comment too long", "POST", answer, CEO, "{\"approved\":true,\"comment\":\"" + "c".repeat(2001) + "\"}", 400, "invalid-input"));
        cases.add(of("answer: over 64 KB", "POST", answer, CEO, "{\"approved\":true,\"comment\":\"" + "c".repeat(70_000) + "\"}", 413, "payload-too-large"));
        cases.add(of("answer: nesting 100 deep", "POST", answer, CEO, "{\"approved\":true,\"x\":" + deep + "}", 400, "invalid-input"));
        cases.add(of("answer: text/plain", "POST", answer, CEO, "{\"approved\":true}", 415, "unsupported-media-type").withContentType("text/plain"));
        cases.add(of("answer: id not a UUID", "POST", "/agent-requests/xyz/answer", CEO, "{\"approved\":true}", 404, "not-found"));
        cases.add(of("answer: unknown request", "POST", "/agent-requests/" + UUID.randomUUID() + "/answer", CEO, "{\"approved\":true}", 404, "not-found"));
        cases.add(of("answer: GET", "GET", answer, CEO, null, 405, "method-not-allowed"));
        cases.add(of("inbox: POST", "POST", "/agent-requests", CEO, "{}", 405, "method-not-allowed"));

        // flows and unknown paths
        cases.add(of("flow: unknown name", "GET", "/flows/no-such-flow", USER, null, 404, "not-found"));
        cases.add(of("flow: name too long", "GET", "/flows/" + "f".repeat(3000), USER, null, 404, "not-found"));
        cases.add(of("flows: POST", "POST", "/flows", USER, "{\"name\":\"x\"}", 405, "method-not-allowed"));
        cases.add(of("unknown path", "GET", "/admin", USER, null, 404, "not-found"));
        cases.add(of("unknown nested path", "GET", exec + "/state/owner", USER, null, 404, "not-found"));

        int count = HostileRequests.run("validation", base(), cases, WATCHED);
        assertThat(count >= 70, is(true));
    }

    @Test
    void aRequestLineOverTheServersLimitIsRefusedBeforeRoutingAsAProblem() {
        RowCounts before = RowCounts.of(WATCHED);
        RawHttp.Reply reply = RawHttp.send(base(), "GET", "/executions/" + "a".repeat(9000),
                java.util.Map.of("Authorization", "Bearer " + USER), null);
        assertThat(reply.status(), is(414));
        assertThat("the HTTP layer answers before any of our code, as a problem", reply.contentType(),
                is("application/problem+json"));
        assertThat(reply.body(), is("{\"type\":\"urn:flowguard:problem:bad-request\",\"title\":\"Bad request\",\"status\":414}"));
        assertThat(RowCounts.of(WATCHED), is(before));
    }

    @Test
    void callersWithoutTheRoleOrOwnershipAreForbiddenAndChangeNothing() {
        Target t = waitingExecution();
        String exec = "/executions/" + t.execution();
        String answer = "/agent-requests/" + t.request() + "/answer";
        String body = "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"v\",\"estimatedCost\":1}}";
        List<Case> cases = new ArrayList<>();
        cases.add(of("no role: list flows", "GET", "/flows", NO_ROLE, null, 403, "forbidden"));
        cases.add(of("no role: flow graph", "GET", "/flows/feature-approval", NO_ROLE, null, 403, "forbidden"));
        cases.add(of("no role: start", "POST", "/executions", NO_ROLE, body, 403, "forbidden"));
        cases.add(of("no role: list executions", "GET", "/executions", NO_ROLE, null, 403, "forbidden"));
        cases.add(of("no role: get", "GET", exec, NO_ROLE, null, 403, "forbidden"));
        cases.add(of("no role: cancel", "POST", exec + "/cancel", NO_ROLE, null, 403, "forbidden"));
        cases.add(of("agent only: start", "POST", "/executions", CEO, body, 403, "forbidden"));
        cases.add(of("agent only: read the execution it was asked about", "GET", exec, CEO, null, 403, "forbidden"));
        cases.add(of("agent only: cancel", "POST", exec + "/cancel", CEO, null, 403, "forbidden"));
        cases.add(of("other owner: get", "GET", exec, OTHER, null, 404, "not-found"));
        cases.add(of("other owner: events", "GET", exec + "/events", OTHER, null, 404, "not-found"));
        cases.add(of("other owner: stream", "GET", exec + "/stream", OTHER, null, 404, "not-found")
                .withHeader("Accept", "text/event-stream"));
        cases.add(of("other owner: cancel", "POST", exec + "/cancel", OTHER, null, 404, "not-found"));
        cases.add(of("other owner: cancel with its version", "POST", exec + "/cancel", OTHER, null, 404, "not-found")
                .withHeader("If-Match", "\"1\""));
        cases.add(of("owner: answer its own request without the role", "POST", answer, USER, "{\"approved\":true}", 403, "forbidden"));
        cases.add(of("other agent role: answer", "POST", answer, CTO, "{\"approved\":true}", 403, "forbidden"));
        cases.add(of("no role: answer", "POST", answer, NO_ROLE, "{\"approved\":true}", 403, "forbidden"));
        int count = HostileRequests.run("authorization", base(), cases, WATCHED);
        assertThat(count >= 17, is(true));

        // The request is still there for the CEO alone, and nobody else's inbox shows it (no inbox
        // at all without an agent role).
        for (String token : new String[] {USER, CTO, NO_ROLE}) {
            try (Response r = target.path("/agent-requests").request().header("Authorization", "Bearer " + token).get()) {
                assertThat(r.getStatus(), is(token.equals(CTO) ? 200 : 403));
                assertThat(r.readEntity(String.class).contains(t.request()), is(false));
            }
        }
    }
}
