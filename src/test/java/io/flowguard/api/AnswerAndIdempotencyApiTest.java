package io.flowguard.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Answers that come too late (answered, cancelled, timed out) and idempotent starts, through the
 * real server: each refusal is its problem and changes nothing.
 */
@HelidonTest
class AnswerAndIdempotencyApiTest {

    private static final String OWNER = "ans-" + UUID.randomUUID();
    private static final String USER = TestTokens.token(OWNER, "flow-user");
    private static final String LEAD = TestTokens.token("ans-lead", "agent:test_lead");
    private static final String CEO = TestTokens.token("ans-ceo", "agent:ceo");

    /** feature-approval asks without a deadline: 1 s here; test-wait asks for a year: capped at 10 min. */
    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.put("flowguard.agent-wait.default", "PT1S");
        values.put("flowguard.agent-wait.max", "PT10M");
        return new MapConfigSource("answers", values);
    }

    @Inject
    WebTarget target;

    private Response post(String token, String path, String body, String idempotencyKey) {
        var request = target.path(path).request().header("Authorization", "Bearer " + token);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post(Entity.json(body));
    }

    private String start(String body) {
        try (Response r = post(USER, "/executions", body, null)) {
            assertThat(r.getStatus(), is(201));
            return r.readEntity(JsonObject.class).getString("id");
        }
    }

    private String requestFor(String token, String executionId) {
        String[] found = new String[1];
        Await.until("a request for " + executionId, Duration.ofSeconds(30), () -> {
            try (Response r = target.path("/agent-requests").request().header("Authorization", "Bearer " + token).get()) {
                r.readEntity(JsonArray.class).getValuesAs(JsonObject.class).stream()
                        .filter(o -> o.getString("executionId").equals(executionId)).findFirst()
                        .ifPresent(o -> found[0] = o.getString("id"));
            }
            return found[0] != null;
        });
        return found[0];
    }

    private String status(String id) {
        try (Response r = target.path("/executions/" + id).request().header("Authorization", "Bearer " + USER).get()) {
            return r.readEntity(JsonObject.class).getString("status");
        }
    }

    private void assertConflictChangesNothing(String requestId, String token, String body) {
        RowCounts before = RowCounts.of(OWNER);
        try (Response r = post(token, "/agent-requests/" + requestId + "/answer", body, null)) {
            assertThat(r.getStatus(), is(409));
            assertThat(r.readEntity(String.class), containsString("urn:flowguard:problem:conflict"));
        }
        assertThat(RowCounts.of(OWNER), is(before));
    }

    @Test
    void aSecondAnswerIsAConflict() {
        String id = start("{\"flow\":\"test-wait\",\"input\":{}}");
        String request = requestFor(LEAD, id);
        try (Response r = post(LEAD, "/agent-requests/" + request + "/answer", "{\"ok\":true}", null)) {
            assertThat(r.getStatus(), is(200));
        }
        Await.until("completed", Duration.ofSeconds(30), () -> status(id).equals("COMPLETED"));
        assertConflictChangesNothing(request, LEAD, "{\"ok\":false}");
    }

    @Test
    void anAnswerToACancelledExecutionIsAConflict() {
        String id = start("{\"flow\":\"test-wait\",\"input\":{}}");
        String request = requestFor(LEAD, id);
        try (Response r = post(USER, "/executions/" + id + "/cancel", "{\"reason\":\"changed my mind\"}", null)) {
            assertThat(r.getStatus(), is(200));
        }
        try (Response r = target.path("/executions/" + id + "/events").request()
                .header("Authorization", "Bearer " + USER).get()) {
            assertThat(r.readEntity(String.class), containsString("changed my mind"));
        }
        assertConflictChangesNothing(request, LEAD, "{\"ok\":true}");
    }

    @Test
    void anAnswerAfterTheDeadlineIsAConflict() {
        String id = start("{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"late\",\"estimatedCost\":5000000}}");
        String request = requestFor(CEO, id);
        Await.until("the wait timed out", Duration.ofSeconds(30), () -> status(id).equals("COMPLETED"));
        assertConflictChangesNothing(request, CEO, "{\"approved\":true}");
    }

    @Test
    void theSameKeyAndBodyReplayTheSameExecutionAndAnotherBodyIsRefused() {
        String key = "order-" + UUID.randomUUID();
        String body = "{\"flow\":\"test-wait\",\"input\":{\"key\":\"a\"}}";
        String first;
        try (Response r = post(USER, "/executions", body, key)) {
            assertThat(r.getStatus(), is(201));
            first = r.readEntity(JsonObject.class).getString("id");
        }
        try (Response r = post(USER, "/executions", body, key)) {
            assertThat(r.getStatus(), is(200));
            assertThat(r.getHeaderString("Idempotency-Replayed"), is("true"));
            assertThat(r.readEntity(JsonObject.class).getString("id"), is(first));
        }
        Await.until("parked", Duration.ofSeconds(30), () -> status(first).equals("WAITING_AGENT"));
        RowCounts before = RowCounts.of(OWNER);
        try (Response r = post(USER, "/executions", "{\"flow\":\"test-wait\",\"input\":{\"key\":\"b\"}}", key)) {
            assertThat(r.getStatus(), is(422));
            assertThat(r.readEntity(String.class), containsString("urn:flowguard:problem:idempotency-key-reused"));
        }
        assertThat(RowCounts.of(OWNER), is(before));

        // The key is the caller's own: another subject using it starts its own execution.
        String otherSubject = "ans-other-" + UUID.randomUUID();
        try (Response r = post(TestTokens.token(otherSubject, "flow-user"), "/executions", body, key)) {
            assertThat(r.getStatus(), is(201));
            assertThat(r.readEntity(JsonObject.class).getString("id").equals(first), is(false));
        }
    }

    @Test
    void fiftyConcurrentIdenticalStartsCreateOneExecution() throws Exception {
        String subject = "ans-race-" + UUID.randomUUID();
        String token = TestTokens.token(subject, "flow-user");
        String key = "race-" + UUID.randomUUID();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> calls = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
            for (int i = 0; i < 50; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    try (Response r = post(token, "/executions", "{\"flow\":\"test-wait\",\"input\":{}}", key)) {
                        String reply = r.readEntity(String.class);
                        assertThat(r.getStatus() + " " + reply, r.getStatus() == 201 || r.getStatus() == 200, is(true));
                        return jakarta.json.Json.createReader(new java.io.StringReader(reply)).readObject().getString("id");
                    }
                }));
            }
            go.countDown();
            Set<String> ids = new HashSet<>();
            for (Future<String> call : calls) {
                ids.add(call.get());
            }
            assertThat(ids.size(), is(1));
        }
        assertThat(RowCounts.of(subject).counts().get("executions"), is(1L));
        assertThat(RowCounts.of(subject).counts().get("quota slots"), is(1L));
    }
}
