package io.flowguard.api;

import java.time.Duration;
import java.util.List;

import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** The REST API through the real server with real signed tokens: the approval tour and its hostile cases. */
@HelidonTest
class ExecutionApiTest {

    private static final String ALICE = TestTokens.token("alice", "flow-user");
    private static final String BOB = TestTokens.token("bob", "flow-user");
    private static final String CEO = TestTokens.token("carol", "agent:ceo");
    private static final String CTO = TestTokens.token("dan", "agent:cto");
    private static final String ADMIN = TestTokens.token("root-admin", "flow-admin");

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    private Invocation.Builder as(String token, String path) {
        return target.path(path).request().header("Authorization", "Bearer " + token);
    }

    private JsonObject startApproval(String token, long cost) {
        try (Response r = as(token, "/executions").post(Entity.json(
                "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"tour\",\"estimatedCost\":" + cost + "}}"))) {
            assertThat(r.getStatus(), is(201));
            assertThat(r.getHeaderString("Location"), containsString("/executions/"));
            return r.readEntity(JsonObject.class);
        }
    }

    private JsonObject get(String token, String id) {
        try (Response r = as(token, "/executions/" + id).get()) {
            assertThat(r.getStatus(), is(200));
            return r.readEntity(JsonObject.class);
        }
    }

    private JsonObject awaitStatus(String id, String status) {
        Await.until(id + " " + status, Duration.ofSeconds(30), () -> get(ALICE, id).getString("status").equals(status));
        return get(ALICE, id);
    }

    private static void assertProblem(Response r, int status, String slug) {
        assertThat(r.getStatus(), is(status));
        assertThat(r.getMediaType().toString(), startsWith("application/problem+json"));
        String body = r.readEntity(String.class);
        assertThat(body, containsString("\"type\":\"urn:flowguard:problem:" + slug + "\""));
        assertThat(body, not(containsString("Exception")));
        assertThat(body, not(containsString("io.flowguard")));
        assertThat(body, not(containsString("\tat ")));
    }

    @Test
    void theApprovalTourStartsAsksTheCeoAndCompletes() {
        JsonObject started = startApproval(ALICE, 2_000_000);
        String id = started.getString("id");
        awaitStatus(id, "WAITING_AGENT");

        JsonObject request;
        try (Response r = as(CEO, "/agent-requests").get()) {
            assertThat(r.getStatus(), is(200));
            request = r.readEntity(JsonArray.class).getValuesAs(JsonObject.class).stream()
                    .filter(o -> o.getString("executionId").equals(id)).findFirst().orElseThrow();
        }
        assertThat(request.getString("role"), is("ceo"));
        try (Response r = as(CTO, "/agent-requests/" + request.getString("id") + "/answer")
                .post(Entity.json("{\"approved\":true}"))) {
            assertProblem(r, 403, "forbidden");
        }
        try (Response r = as(CEO, "/agent-requests/" + request.getString("id") + "/answer")
                .post(Entity.json("{\"approved\":true,\"comment\":\"ship it\"}"))) {
            assertThat(r.getStatus(), is(200));
        }

        JsonObject done = awaitStatus(id, "COMPLETED");
        assertThat(done.getJsonObject("state").getString("decision"), is("APPROVED"));
        assertThat(done.getJsonObject("state").getString("decidedBy"), is("carol"));
        try (Response r = as(ALICE, "/executions/" + id + "/events").get()) {
            List<JsonObject> events = r.readEntity(JsonArray.class).getValuesAs(JsonObject.class);
            assertThat(events.stream().anyMatch(e -> e.getString("type").equals("ANSWERED")
                    && e.getString("actor").equals("carol")), is(true));
        }
    }

    @Test
    void anotherOwnersExecutionIsNotFoundForThemButAnAdminSeesIt() {
        String id = startApproval(ALICE, 10).getString("id");

        try (Response r = as(BOB, "/executions/" + id).get()) {
            assertProblem(r, 404, "not-found");
        }
        try (Response r = as(BOB, "/executions/" + id + "/events").get()) {
            assertProblem(r, 404, "not-found");
        }
        try (Response r = as(BOB, "/executions/" + id + "/cancel").post(Entity.json(""))) {
            assertProblem(r, 404, "not-found");
        }
        assertThat(get(ADMIN, id).getString("owner"), is("alice"));
    }

    @Test
    void withoutAValidTokenNothingIsServed() {
        try (Response r = target.path("/executions").request().get()) {
            assertThat(r.getStatus(), is(401));
        }
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer not.a.token").get()) {
            assertThat(r.getStatus(), is(401));
        }
        try (Response r = target.path("/agent-requests").request().get()) {
            assertThat(r.getStatus(), is(401));
        }
        try (Response r = target.path("/agent-requests/" + java.util.UUID.randomUUID() + "/answer").request()
                .post(Entity.json("{\"approved\":true}"))) {
            assertThat(r.getStatus(), is(401));
        }
        try (Response r = target.path("/executions").request().cookie("Authorization", ALICE).get()) {
            assertThat("a cookie never authenticates", r.getStatus(), is(401));
        }
    }

    @Test
    void badRequestsGetProblemDetails() {
        try (Response r = as(ALICE, "/executions").post(Entity.json("{\"flow\":\"feature-approval\",\"input\":"))) {
            assertProblem(r, 400, "invalid-input");
        }
        try (Response r = as(ALICE, "/executions").post(Entity.json("{\"flow\":\"nope\",\"input\":{}}"))) {
            assertProblem(r, 422, "unknown-flow");
        }
        try (Response r = as(ALICE, "/executions").post(Entity.json(
                "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"x\",\"estimatedCost\":1},\"owner\":\"bob\"}"))) {
            assertProblem(r, 400, "invalid-input");
        }
        try (Response r = as(ALICE, "/executions/not-a-uuid").get()) {
            assertProblem(r, 404, "not-found");
        }
        try (Response r = as(ALICE, "/no-such-endpoint").get()) {
            assertProblem(r, 404, "not-found");
        }
        try (Response r = target.path("/executions/a/b/c").request().get()) {
            assertProblem(r, 404, "not-found");
        }
        try (Response r = as(ALICE, "/executions").put(Entity.json("{}"))) {
            assertProblem(r, 405, "method-not-allowed");
        }
        try (Response r = as(ALICE, "/executions").post(Entity.text("flow=x"))) {
            assertProblem(r, 415, "unsupported-media-type");
        }
    }
}
