package io.flowguard.api;

import java.io.StringReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.flowguard.testflows.Gates;
import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.RowCounts;
import io.flowguard.watch.ChangeSignals;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * Waiting reads ({@code Prefer: wait=N}) and live streams through the real server. The database
 * recheck and the stream's poll interval are a minute here, longer than any wait, so an answer or
 * event that comes early can only have come from the commit signal; the recheck itself is shown
 * by {@link WaitingReadsRecheckTest}.
 */
@HelidonTest
class WaitingReadsTest {

    private static final String OWNER = "wait-" + UUID.randomUUID();
    private static final String USER = TestTokens.token(OWNER, "flow-user");
    private static final String OTHER = TestTokens.token("wait-other-" + UUID.randomUUID(), "flow-user");
    private static final String LEAD = TestTokens.token("wait-lead", "agent:test_lead");

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.put("flowguard.api.wait.recheck", "PT60S");
        values.put("flowguard.api.wait.max", "PT30S");
        values.put("flowguard.stream.poll-interval", "PT60S");
        return new MapConfigSource("waiting-reads", values);
    }

    @Inject
    WebTarget target;
    @Inject
    ChangeSignals signals;

    private TimedGet get() {
        return new TimedGet(target.getUri());
    }

    private String start(String flow, String key) {
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + USER)
                .post(Entity.json("{\"flow\":\"" + flow + "\",\"input\":{\"key\":\"" + key + "\"}}"))) {
            assertThat(r.getStatus(), is(201));
            return r.readEntity(JsonObject.class).getString("id");
        }
    }

    private JsonObject execution(String id) {
        TimedGet.Answer a = get().now("/executions/" + id, USER, Map.of());
        assertThat(a.status(), is(200));
        return Json.createReader(new StringReader(a.response().body())).readObject();
    }

    private String waitingExecution() {
        String id = start("test-wait", "w-" + UUID.randomUUID());
        Await.until("WAITING_AGENT", Duration.ofSeconds(30), () -> execution(id).getString("status").equals("WAITING_AGENT"));
        return id;
    }

    private static Map<String, String> ifNoneMatch(long version, String prefer) {
        Map<String, String> headers = new HashMap<>();
        headers.put("If-None-Match", "\"" + version + "\"");
        if (prefer != null) {
            headers.put("Prefer", prefer);
        }
        return headers;
    }

    @Test
    void aWaitingReadIsAnsweredAsSoonAsTheExecutionChanges() throws Exception {
        String key = "gate-" + UUID.randomUUID();
        String id = start("test-gated-ask", key);
        assertThat(Gates.awaitEntered(key), is(true));
        long version = execution(id).getJsonNumber("version").longValue();

        int waitersBefore = signals.waiting();
        CompletableFuture<TimedGet.Answer> waiting = get().inBackground("/executions/" + id, USER,
                ifNoneMatch(version, "wait=25"));
        Await.until("the read to wait on the server", Duration.ofSeconds(30), () -> signals.waiting() > waitersBefore);
        assertThat("still waiting while nothing changed", waiting.isDone(), is(false));
        Gates.release(key);

        TimedGet.Answer answer = waiting.get(60, TimeUnit.SECONDS);
        assertThat(answer.status(), is(200));
        JsonObject body = Json.createReader(new StringReader(answer.response().body())).readObject();
        assertThat(body.getJsonNumber("version").longValue(), not(version));
        assertThat(answer.header("ETag"), is("\"" + body.getJsonNumber("version").longValue() + "\""));
        assertThat(answer.header("Preference-Applied"), is("wait=25"));
        assertThat("answered by the commit, not at the end of the wait", answer.took(), lessThan(Duration.ofSeconds(15)));
    }

    @Test
    void anUnchangedExecutionIsNotModified() {
        String id = waitingExecution();
        long version = execution(id).getJsonNumber("version").longValue();

        TimedGet.Answer conditional = get().now("/executions/" + id, USER, ifNoneMatch(version, null));
        assertThat(conditional.status(), is(304));
        assertThat(conditional.header("ETag"), is("\"" + version + "\""));
        assertThat("no wait asked, none applied", conditional.header("Preference-Applied"), nullValue());

        TimedGet.Answer waited = get().now("/executions/" + id, USER, ifNoneMatch(version, "wait=1"));
        assertThat(waited.status(), is(304));
        assertThat(waited.header("Preference-Applied"), is("wait=1"));
        assertThat("it waited", waited.took(), greaterThanOrEqualTo(Duration.ofMillis(950)));

        TimedGet.Answer stale = get().now("/executions/" + id, USER, ifNoneMatch(version - 1, "wait=20"));
        assertThat("another version than the current one is answered at once", stale.status(), is(200));
        assertThat(stale.took(), lessThan(Duration.ofSeconds(10)));
    }

    @Test
    void aFinishedExecutionIsAnsweredAtOnce() {
        String id = waitingExecution();
        String request = inbox(LEAD, id, null).response().body();
        String requestId = Json.createReader(new StringReader(request)).readArray().getJsonObject(0).getString("id");
        try (Response r = target.path("/agent-requests/" + requestId + "/answer").request()
                .header("Authorization", "Bearer " + LEAD).post(Entity.json("{\"ok\":true}"))) {
            assertThat(r.getStatus(), is(200));
        }
        Await.until("COMPLETED", Duration.ofSeconds(30), () -> execution(id).getString("status").equals("COMPLETED"));
        long version = execution(id).getJsonNumber("version").longValue();

        TimedGet.Answer answer = get().now("/executions/" + id, USER, ifNoneMatch(version, "wait=20"));
        assertThat(answer.status(), is(304));
        assertThat("a finished execution never changes: no wait", answer.header("Preference-Applied"), nullValue());
        assertThat(answer.took(), lessThan(Duration.ofSeconds(10)));
    }

    private TimedGet.Answer inbox(String token, String executionId, String prefer) {
        Map<String, String> headers = prefer == null ? Map.of() : Map.of("Prefer", prefer);
        return get().now("/agent-requests?execution=" + executionId, token, headers);
    }

    @Test
    void anAgentWaitingForWorkIsAnsweredWhenARequestArrives() throws Exception {
        String key = "gate-" + UUID.randomUUID();
        String id = start("test-gated-ask", key);
        assertThat(Gates.awaitEntered(key), is(true));

        int waitersBefore = signals.waiting();
        CompletableFuture<TimedGet.Answer> waiting = get().inBackground("/agent-requests?execution=" + id, LEAD,
                Map.of("Prefer", "wait=25"));
        Await.until("the read to wait on the server", Duration.ofSeconds(30), () -> signals.waiting() > waitersBefore);
        assertThat("still waiting while the inbox is empty", waiting.isDone(), is(false));
        Gates.release(key);

        TimedGet.Answer answer = waiting.get(60, TimeUnit.SECONDS);
        assertThat(answer.status(), is(200));
        JsonArray requests = Json.createReader(new StringReader(answer.response().body())).readArray();
        assertThat(requests.size(), is(1));
        assertThat(requests.getJsonObject(0).getString("executionId"), is(id));
        assertThat(answer.header("Preference-Applied"), is("wait=25"));
        assertThat("answered by the commit, not at the end of the wait", answer.took(), lessThan(Duration.ofSeconds(15)));
    }

    @Test
    void aLiveStreamSendsACommittedEventAtOnce() throws Exception {
        String key = "gate-" + UUID.randomUUID();
        String id = start("test-gated-ask", key);
        assertThat(Gates.awaitEntered(key), is(true));
        int waitersBefore = signals.waiting();
        try (SseClient stream = SseClient.open(target.path("/executions/" + id + "/stream").getUri(), USER, null)) {
            assertThat(stream.status(), is(200));
            SseClient.Event first = stream.next();
            assertThat("the history so far comes first", first.data(), containsString("\"seq\":1"));
            CompletableFuture<Long> waitingAgent = CompletableFuture.supplyAsync(() -> {
                SseClient.Event event;
                while ((event = stream.next()) != null) {
                    if (event.data().contains("-> WAITING_AGENT")) {
                        return System.nanoTime();
                    }
                }
                return -1L;
            });
            Await.until("the stream to wait on the server", Duration.ofSeconds(30), () -> signals.waiting() > waitersBefore);
            long released = System.nanoTime();
            Gates.release(key);
            long arrived = waitingAgent.get(90, TimeUnit.SECONDS);
            assertThat("the stream saw the execution wait for its agent", arrived > 0, is(true));
            assertThat("sent on the commit, not at the next poll a minute later",
                    Duration.ofNanos(arrived - released), lessThan(Duration.ofSeconds(15)));
        }
    }

    @Test
    void aCallerWithoutAgentRolesIsRefusedWithoutWaiting() {
        TimedGet.Answer answer = get().now("/agent-requests", USER, Map.of("Prefer", "wait=20"));
        assertThat(answer.status(), is(403));
        assertThat(answer.response().body(), containsString("urn:flowguard:problem:forbidden"));
        assertThat("nothing could ever arrive: no wait", answer.header("Preference-Applied"), nullValue());
        assertThat(answer.took(), lessThan(Duration.ofSeconds(10)));
    }

    @Test
    void badConditionsAndFiltersAreRefusedAndChangeNothing() {
        String id = waitingExecution();
        RowCounts before = RowCounts.of(OWNER);
        for (String bad : new String[] {"garbage", "3", "\"three\"", "\"1\", nope", "W/3"}) {
            TimedGet.Answer answer = get().now("/executions/" + id, USER, Map.of("If-None-Match", bad,
                    "Prefer", "wait=20"));
            assertThat(bad, answer.status(), is(400));
            assertThat(bad, answer.header("Content-Type"), is("application/problem+json"));
            assertThat(bad, answer.response().body(), containsString("If-None-Match"));
        }
        for (String bad : new String[] {"x", "1234", UUID.randomUUID() + "0"}) {
            TimedGet.Answer answer = get().now("/agent-requests?execution=" + bad, LEAD, Map.of("Prefer", "wait=20"));
            assertThat(bad, answer.status(), is(400));
            assertThat(bad, answer.response().body(), containsString("urn:flowguard:problem:invalid-input"));
        }
        TimedGet.Answer foreign = get().now("/executions/" + id, OTHER, Map.of("If-None-Match", "*", "Prefer", "wait=20"));
        assertThat("another owner's execution is refused before any wait", foreign.status(), is(404));
        assertThat(foreign.took(), lessThan(Duration.ofSeconds(10)));
        assertThat(RowCounts.of(OWNER), is(before));
    }
}
