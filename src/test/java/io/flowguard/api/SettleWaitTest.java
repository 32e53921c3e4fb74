package io.flowguard.api;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.flowguard.testflows.Gates;
import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.watch.ChangeSignals;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.WebTarget;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

/**
 * A start and an answer sent with {@code Prefer: wait=N} answer once the execution went as far as
 * it goes on its own, saying where it waits: a whole approval in two requests. The database
 * recheck is a minute here, longer than any wait, so an answer that comes early can only have
 * come from the commit signal.
 */
@HelidonTest
class SettleWaitTest {

    private static final String OWNER = "settle-" + UUID.randomUUID();
    private static final String USER = TestTokens.token(OWNER, "flow-user");
    private static final String CEO = TestTokens.token("settle-ceo", "agent:ceo");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.put("flowguard.api.wait.recheck", "PT60S");
        values.put("flowguard.api.wait.max", "PT30S");
        return new MapConfigSource("settle-wait", values);
    }

    @Inject
    WebTarget target;
    @Inject
    ChangeSignals signals;

    private HttpResponse<String> post(String path, String token, String body, String prefer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.getUri().toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("POST " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonObject body(HttpResponse<String> r) {
        return Json.createReader(new StringReader(r.body())).readObject();
    }

    private static String start(String flow, String key) {
        return "{\"flow\":\"" + flow + "\",\"input\":{\"key\":\"" + key + "\"}}";
    }

    @Test
    void aWholeApprovalInTwoRequests() {
        HttpResponse<String> started = post("/executions", USER, "{\"flow\":\"feature-approval\",\"input\":"
                + "{\"featureName\":\"settle\",\"estimatedCost\":7000000}}", "wait=20");
        assertThat(started.body(), started.statusCode(), is(201));
        assertThat(started.headers().firstValue("Preference-Applied").orElse(null), is("wait=20"));
        JsonObject execution = body(started);
        assertThat(execution.getString("status"), is("WAITING_AGENT"));
        assertThat("the ETag is the version shown", started.headers().firstValue("ETag").orElseThrow(),
                is("\"" + execution.getJsonNumber("version").longValue() + "\""));
        assertThat(started.headers().firstValue("Location").isPresent(), is(true));
        JsonArray waitingFor = execution.getJsonArray("waitingFor");
        assertThat(waitingFor.size(), is(1));
        assertThat(waitingFor.getJsonObject(0).getString("role"), is("ceo"));

        String request = waitingFor.getJsonObject(0).getString("id");
        HttpResponse<String> answered = post("/agent-requests/" + request + "/answer", CEO,
                "{\"approved\":true,\"comment\":\"go\"}", "wait=20");
        assertThat(answered.body(), answered.statusCode(), is(200));
        assertThat(answered.headers().firstValue("Preference-Applied").orElse(null), is("wait=20"));
        JsonObject outcome = body(answered);
        assertThat(outcome.getString("status"), is("ANSWERED"));
        assertThat(outcome.getString("executionId"), is(execution.getString("id")));
        assertThat(outcome.getString("executionStatus"), is("COMPLETED"));
        assertThat(outcome.getJsonArray("waitingFor").size(), is(0));
        assertThat("an agent never sees the execution's state", outcome.get("state"), nullValue());
    }

    @Test
    void anAnswerListsOnlyWhatWaitsOnTheCallersRoles() {
        JsonObject execution = body(post("/executions", USER, start("test-two-roles-ask", "two"), "wait=20"));
        assertThat(execution.getString("status"), is("WAITING_AGENT"));
        JsonArray waitingFor = execution.getJsonArray("waitingFor");
        assertThat("the owner sees both requests", waitingFor.size(), is(2));
        String ceoRequest = waitingFor.stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("role").equals("ceo")).findFirst().orElseThrow().getString("id");

        JsonObject outcome = body(post("/agent-requests/" + ceoRequest + "/answer", CEO, "{}", "wait=20"));
        assertThat("still waiting for the CTO", outcome.getString("executionStatus"), is("WAITING_AGENT"));
        assertThat("the CTO's request is not the CEO's business", outcome.getJsonArray("waitingFor").size(), is(0));
    }

    @Test
    void withoutPreferNothingWaitsAndTheShapeIsAsBefore() {
        HttpResponse<String> started = post("/executions", USER, start("test-wait", "plain"), null);
        assertThat(started.statusCode(), is(201));
        assertThat(started.headers().firstValue("Preference-Applied").isPresent(), is(false));
        assertThat(body(started).containsKey("waitingFor"), is(false));
    }

    /** The wait is bounded by what the client asked: a step that does not finish in it is answered as it stands. */
    @Test
    void aStepThatTakesLongerThanTheWaitIsAnsweredAsItStands() throws Exception {
        String key = "settle-slow-" + UUID.randomUUID();
        try {
            long started = System.nanoTime();
            HttpResponse<String> r = post("/executions", USER, start("test-slow", key), "wait=1");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(r.body(), r.statusCode(), is(201));
            assertThat(r.headers().firstValue("Preference-Applied").orElse(null), is("wait=1"));
            JsonObject execution = body(r);
            assertThat("its first step still runs", execution.getString("status"), anyOf(is("PENDING"), is("RUNNING")));
            assertThat(execution.getJsonArray("waitingFor").size(), is(0));
            assertThat("answered at the end of its wait, not the step's", took, lessThan(Duration.ofSeconds(15)));
        } finally {
            Gates.release(key);
        }
    }

    /** A start whose execution asks while the response waits is answered by the commit, not the recheck. */
    @Test
    void theCommitOfTheAskEndsTheWait() throws Exception {
        String key = "settle-gate-" + UUID.randomUUID();
        int waitersBefore = signals.waiting();
        CompletableFuture<HttpResponse<String>> start = CompletableFuture.supplyAsync(
                () -> post("/executions", USER, start("test-gated-ask", key), "wait=25"));
        assertThat(Gates.awaitEntered(key), is(true));
        Await.until("the start to wait on the server", Duration.ofSeconds(30), () -> signals.waiting() > waitersBefore);
        long released = System.nanoTime();
        Gates.release(key);
        HttpResponse<String> r = start.get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode(), is(201));
        assertThat(body(r).getString("status"), is("WAITING_AGENT"));
        assertThat(body(r).getJsonArray("waitingFor").getJsonObject(0).getString("role"), is("test_lead"));
        assertThat("the ask's commit woke it, not the one-minute recheck",
                Duration.ofNanos(System.nanoTime() - released), lessThan(Duration.ofSeconds(15)));
    }
}
