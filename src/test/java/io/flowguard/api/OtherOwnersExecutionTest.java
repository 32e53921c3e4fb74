package io.flowguard.api;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.flowguard.http.SecurityAudit;
import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.RowCounts;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/**
 * No existence oracle: another owner's execution id answers exactly as an id that does not
 * exist, on every execution endpoint, and the attempt is still audited as forbidden.
 */
@HelidonTest
class OtherOwnersExecutionTest {

    private static final String ALICE_SUBJECT = "oracle-alice-" + UUID.randomUUID();
    private static final String ALICE = TestTokens.token(ALICE_SUBJECT, "flow-user");
    private static final String BOB = TestTokens.token("oracle-bob-" + UUID.randomUUID(), "flow-user");
    private static final String ADMIN = TestTokens.token("oracle-admin", "flow-admin");

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    private AuditLines audit;

    @BeforeEach
    void listen() {
        audit = AuditLines.listen();
    }

    @AfterEach
    void stop() {
        audit.close();
    }

    /** What a caller sees of an answer (status, media type, body) and the forbidden lines it wrote. */
    private record Seen(String answer, int forbidden) {
    }

    private Seen send(Invocation invocation) {
        try (Response r = invocation.invoke()) {
            return new Seen(r.getStatus() + " " + r.getMediaType() + " " + r.readEntity(String.class),
                    audit.of(r.getHeaderString("X-Request-Id"), SecurityAudit.Kind.FORBIDDEN).size());
        }
    }

    private Seen stream(String id) {
        try (SseClient stream = SseClient.open(URI.create(target.getUri() + "/executions/" + id + "/stream"), BOB, null)) {
            // an open stream is not read to its end: were the guard gone, it would run until the execution finished
            String body = stream.status() == 200 ? "(an open stream)" : stream.body();
            String answer = stream.status() + " " + stream.contentType() + " " + body;
            return new Seen(answer, audit.of(stream.header("X-Request-Id"), SecurityAudit.Kind.FORBIDDEN).size());
        }
    }

    private Invocation.Builder bob(String path) {
        return target.path(path).request().header("Authorization", "Bearer " + BOB);
    }

    @Test
    void anotherOwnersExecutionAnswersLikeARandomIdOnEveryEndpointAndTheAttemptIsAudited() {
        String id;
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + ALICE)
                .post(Entity.json("{\"flow\":\"test-wait\",\"input\":{}}"))) {
            assertThat(r.getStatus(), is(201));
            id = r.readEntity(JsonObject.class).getString("id");
        }
        String parked = id;
        Await.until("the execution waits for its agent", Duration.ofSeconds(30), () -> {
            try (Response r = target.path("/executions/" + parked).request().header("Authorization", "Bearer " + ALICE).get()) {
                return r.readEntity(JsonObject.class).getString("status").equals("WAITING_AGENT");
            }
        });
        String random = UUID.randomUUID().toString();
        RowCounts before = RowCounts.of(ALICE_SUBJECT);

        Seen[][] pairs = {
                {send(bob("/executions/" + id).buildGet()), send(bob("/executions/" + random).buildGet())},
                {send(bob("/executions/" + id).header("If-None-Match", "\"1\"").header("Prefer", "wait=5").buildGet()),
                        send(bob("/executions/" + random).header("If-None-Match", "\"1\"").header("Prefer", "wait=5").buildGet())},
                {send(bob("/executions/" + id + "/events").buildGet()), send(bob("/executions/" + random + "/events").buildGet())},
                {stream(id), stream(random)},
                {send(bob("/executions/" + id + "/cancel").buildPost(Entity.json(""))),
                        send(bob("/executions/" + random + "/cancel").buildPost(Entity.json("")))},
        };
        for (Seen[] pair : pairs) {
            assertThat("another owner's id answers as a random one", pair[0].answer(), is(pair[1].answer()));
            assertThat(pair[0].answer(), pair[0].answer().startsWith("404 application/problem+json"), is(true));
            assertThat(pair[0].answer(), pair[0].answer().contains("urn:flowguard:problem:not-found"), is(true));
            assertThat(pair[0].answer(), pair[0].answer().contains("\"detail\":\"no such execution\""), is(true));
            assertThat("the attempt on another owner's execution is audited", pair[0].forbidden(), is(1));
            assertThat("a random id is not a forbidden attempt", pair[1].forbidden(), is(0));
        }
        assertThat("nothing changed", RowCounts.of(ALICE_SUBJECT), is(before));
        try (Response r = target.path("/executions/" + id).request().header("Authorization", "Bearer " + ADMIN).get()) {
            assertThat("an admin still sees it", r.getStatus(), is(200));
        }
    }

    private String start(String token) {
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + token)
                .post(Entity.json("{\"flow\":\"test-wait\",\"input\":{}}"))) {
            assertThat(r.getStatus(), is(201));
            return r.readEntity(JsonObject.class).getString("id");
        }
    }

    /** @return the ids a list shows, or the status when it is not a 200 */
    private List<String> list(String token, String query) {
        try (Response r = target.path("/executions").queryParam("limit", "500").queryParam("owner", query == null ? new Object[0]
                : new Object[] {query}).request().header("Authorization", "Bearer " + token).get()) {
            if (r.getStatus() != 200) {
                return List.of(r.getStatus() + " " + r.readEntity(String.class));
            }
            return r.readEntity(JsonArray.class).getValuesAs(JsonObject.class).stream().map(o -> o.getString("id")).toList();
        }
    }

    @Test
    void aUserListsOnlyTheirOwnExecutionsAndAnAdminAnyOwners() {
        String carolSubject = "list-carol-" + UUID.randomUUID();
        String daveSubject = "list-dave-" + UUID.randomUUID();
        String carol = TestTokens.token(carolSubject, "flow-user");
        String dave = TestTokens.token(daveSubject, "flow-user");
        String carols = start(carol);
        String daves = start(dave);
        assertThat("a user's list: their own executions only", list(dave, null), is(List.of(daves)));
        assertThat(list(dave, daveSubject), is(List.of(daves)));
        assertThat(list(carol, null), is(List.of(carols)));
        List<String> forbidden = list(dave, carolSubject);
        assertThat(forbidden.toString(), forbidden.getFirst().startsWith("403 "), is(true));
        assertThat(forbidden.getFirst().contains("urn:flowguard:problem:forbidden"), is(true));
        assertThat("an admin lists one owner's", list(ADMIN, carolSubject), is(List.of(carols)));
        assertThat("an admin lists all", list(ADMIN, null), hasItems(carols, daves));
    }
}
