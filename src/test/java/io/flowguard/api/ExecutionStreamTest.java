package io.flowguard.api;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
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
import static org.hamcrest.Matchers.startsWith;

/** The live event stream through the real server: order, resume, end, ownership and the per-subject cap. */
@HelidonTest
class ExecutionStreamTest {

    private static final String ALICE = TestTokens.token("stream-alice", "flow-user");
    private static final String BOB = TestTokens.token("stream-bob", "flow-user");
    private static final String CEO = TestTokens.token("stream-ceo", "agent:ceo");

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    private String start(String token, String body) {
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + token)
                .post(Entity.json(body))) {
            assertThat(r.getStatus(), is(201));
            return r.readEntity(JsonObject.class).getString("id");
        }
    }

    private URI streamUri(String id) {
        return target.path("/executions/" + id + "/stream").getUri();
    }

    private List<Integer> historySeqs(String id) {
        try (Response r = target.path("/executions/" + id + "/events").request()
                .header("Authorization", "Bearer " + ALICE).get()) {
            return r.readEntity(JsonArray.class).getValuesAs(JsonObject.class).stream().map(o -> o.getInt("seq")).toList();
        }
    }

    private void answerAsCeo(String executionId) {
        String requestId;
        try (Response r = target.path("/agent-requests").request().header("Authorization", "Bearer " + CEO).get()) {
            requestId = r.readEntity(JsonArray.class).getValuesAs(JsonObject.class).stream()
                    .filter(o -> o.getString("executionId").equals(executionId)).findFirst().orElseThrow()
                    .getString("id");
        }
        try (Response r = target.path("/agent-requests/" + requestId + "/answer").request()
                .header("Authorization", "Bearer " + CEO).post(Entity.json("{\"approved\":true}"))) {
            assertThat(r.getStatus(), is(200));
        }
    }

    @Test
    void theStreamCarriesEveryEventInOrderThroughTheAnswerAndEndsWhenTheExecutionFinishes() {
        String id = start(ALICE,
                "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"sse\",\"estimatedCost\":5000000}}");
        List<Integer> seen = new ArrayList<>();
        try (SseClient stream = SseClient.open(streamUri(id), ALICE, null)) {
            assertThat(stream.status(), is(200));
            assertThat(stream.contentType(), startsWith("text/event-stream"));
            SseClient.Event event;
            boolean answered = false;
            while ((event = stream.next()) != null && !event.name().equals("end")) {
                assertThat(event.data(), containsString("\"seq\":" + event.id()));
                seen.add(Integer.parseInt(event.id()));
                if (!answered && event.data().contains("-> WAITING_AGENT")) {
                    answerAsCeo(id);
                    answered = true;
                }
            }
            assertThat("the stream ended with an end event", event != null, is(true));
            assertThat(event.data(), containsString("COMPLETED"));
            assertThat("then the server closed it", stream.next() == null, is(true));
            assertThat(answered, is(true));
        }
        assertThat("every event, in order, once", seen, is(historySeqs(id)));
    }

    @Test
    void aStreamResumesAfterLastEventId() {
        String id = start(ALICE, "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"sse\",\"estimatedCost\":10}}");
        Await.until(id + " completed", Duration.ofSeconds(30), () -> {
            try (Response r = target.path("/executions/" + id).request().header("Authorization", "Bearer " + ALICE)
                    .get()) {
                return r.readEntity(JsonObject.class).getString("status").equals("COMPLETED");
            }
        });
        List<Integer> all = historySeqs(id);
        int resumeAfter = all.get(2);
        List<Integer> seen = new ArrayList<>();
        try (SseClient stream = SseClient.open(streamUri(id), ALICE, Integer.toString(resumeAfter))) {
            SseClient.Event event;
            while ((event = stream.next()) != null && !event.name().equals("end")) {
                seen.add(Integer.parseInt(event.id()));
            }
        }
        assertThat(seen, is(all.subList(3, all.size())));
        try (SseClient stream = SseClient.open(streamUri(id), ALICE, Integer.toString(all.get(all.size() - 1)))) {
            assertThat("nothing left but the end", stream.next().name(), is("end"));
        }
    }

    @Test
    void aStreamIsRefusedToOthersAndForBadInput() {
        String id = start(ALICE, "{\"flow\":\"test-wait\",\"input\":{}}");
        assertRefused(SseClient.open(streamUri(id), BOB, null), 404, "not-found");
        assertRefused(SseClient.open(streamUri(id), null, null), 401, "unauthenticated");
        assertRefused(SseClient.open(streamUri(UUID.randomUUID().toString()), ALICE, null), 404, "not-found");
        assertRefused(SseClient.open(streamUri(id), ALICE, "-1"), 400, "invalid-input");
        assertRefused(SseClient.open(streamUri(id), ALICE, "99999999999999999999"), 400, "invalid-input");
        assertRefused(SseClient.open(streamUri(id), ALICE, "abc"), 400, "invalid-input");
        try (Response r = target.path("/executions/" + id + "/cancel").request().header("Authorization", "Bearer " + ALICE)
                .post(Entity.json("{}"))) {
            assertThat(r.getStatus(), is(200));
        }
    }

    @Test
    void atMostTenStreamsPerSubjectAndAClosedOneFreesItsSlot() {
        String subject = "stream-cap-" + UUID.randomUUID();
        String token = TestTokens.token(subject, "flow-user");
        String id = start(token, "{\"flow\":\"test-wait\",\"input\":{}}");
        List<SseClient> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                SseClient s = SseClient.open(streamUri(id), token, null);
                assertThat(s.status(), is(200));
                streams.add(s);
            }
            assertRefused(SseClient.open(streamUri(id), token, null), 429, "too-many-streams");
            ApiContract.Answer documented = ApiContract.of(target.getUri()).send(ApiContract
                    .get("/executions/" + id + "/stream").token(token).header("Accept", "text/event-stream"));
            assertThat("the refusal is the 429 /openapi declares", documented.body(),
                    containsString("urn:flowguard:problem:too-many-streams"));
            try (SseClient other = SseClient.open(streamUri(start(ALICE, "{\"flow\":\"test-wait\",\"input\":{}}")),
                    ALICE, null)) {
                assertThat("another subject is not affected", other.status(), is(200));
            }

            streams.remove(0).close();
            Await.until("a closed stream's slot is free", Duration.ofSeconds(10), () -> {
                SseClient s = SseClient.open(streamUri(id), token, null);
                if (s.status() == 200) {
                    streams.add(s);
                    return true;
                }
                s.close();
                return false;
            });
        } finally {
            streams.forEach(SseClient::close);
        }
    }

    private static void assertRefused(SseClient response, int status, String slug) {
        try (response) {
            assertThat(response.status(), is(status));
            assertThat(response.contentType(), startsWith("application/problem+json"));
            assertThat(response.body(), containsString("\"type\":\"urn:flowguard:problem:" + slug + "\""));
        }
    }
}
