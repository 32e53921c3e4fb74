package io.flowguard.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

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
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Subjects are stored whole up to the limit, 1,024 characters and 2,048 bytes of UTF-8: such a
 * subject starts, reads, lists and answers end to end; one character or one byte more is a 401
 * at authentication that says why and writes nothing.
 */
@HelidonTest
class LongSubjectTest {

    private static final String START = "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"long\",\"estimatedCost\":5000000}}";
    private static final Random RANDOM = new Random(16);

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    /** A unique subject of exactly {@code codePoints} characters drawn from {@code [from, from + range)}. */
    private static String subject(int codePoints, int from, int range) {
        StringBuilder s = new StringBuilder(UUID.randomUUID().toString());
        while (s.codePointCount(0, s.length()) < codePoints) {
            s.appendCodePoint(from + RANDOM.nextInt(range)); // varied, so PostgreSQL cannot compress an index entry
        }
        return s.toString();
    }

    private static String ascii(int length) {
        return subject(length, 'a', 26);
    }

    private Invocation.Builder as(String token, String path) {
        return target.path(path).request().header("Authorization", "Bearer " + token);
    }

    private String requestFor(String executionId, String agent) {
        String[] request = new String[1];
        Await.until("the CEO is asked", Duration.ofSeconds(30), () -> {
            try (Response r = as(agent, "/agent-requests").get()) {
                r.readEntity(JsonArray.class).getValuesAs(JsonObject.class).stream()
                        .filter(o -> o.getString("executionId").equals(executionId)).findFirst()
                        .ifPresent(o -> request[0] = o.getString("id"));
            }
            return request[0] != null;
        });
        return request[0];
    }

    @Test
    void aSubjectOf1024CharactersStartsReadsListsAndAnswersWholeEndToEnd() {
        String owner = ascii(1024);
        String ceo = ascii(1024);
        String user = TestTokens.token(owner, "flow-user");
        String agent = TestTokens.token(ceo, "agent:ceo");
        String id;
        try (Response r = as(user, "/executions").header("Idempotency-Key", "k".repeat(255)).post(Entity.json(START))) {
            assertThat(r.readEntity(String.class), r.getStatus(), is(201));
            id = r.getLocation().getPath().substring("/executions/".length());
        }
        try (Response r = as(user, "/executions").header("Idempotency-Key", "k".repeat(255)).post(Entity.json(START))) {
            assertThat("replayed under the whole subject", r.getStatus(), is(200));
        }
        try (Response r = as(user, "/executions/" + id).get()) {
            assertThat(r.getStatus(), is(200));
            assertThat("stored whole", r.readEntity(JsonObject.class).getString("owner"), is(owner));
        }
        try (Response r = as(user, "/executions").get()) {
            assertThat(r.readEntity(JsonArray.class).getJsonObject(0).getString("id"), is(id));
        }
        try (Response r = as(agent, "/agent-requests/" + requestFor(id, agent) + "/answer")
                .post(Entity.json("{\"approved\":true,\"comment\":\"fine\"}"))) {
            assertThat(r.readEntity(String.class), r.getStatus(), is(200));
        }
        Await.until("the execution completes", Duration.ofSeconds(30), () -> {
            try (Response r = as(user, "/executions/" + id).get()) {
                return r.readEntity(JsonObject.class).getString("status").equals("COMPLETED");
            }
        });
        try (Response r = as(user, "/executions/" + id + "/events").get()) {
            assertThat("the answering agent recorded whole",
                    r.readEntity(JsonArray.class).getValuesAs(JsonObject.class).stream()
                            .anyMatch(e -> e.getString("type").equals("ANSWERED") && ceo.equals(e.getString("actor", null))),
                    is(true));
        }
        RowCounts rows = RowCounts.of(owner);
        assertThat(rows.get("executions"), is(1L));
        assertThat(rows.get("idempotency keys"), is(1L));
    }

    /** A unique subject of exactly {@code length} bytes of UTF-8, mostly three-byte characters. */
    private static String utf8(int length) {
        StringBuilder s = new StringBuilder(UUID.randomUUID().toString());
        int bytes = s.length();
        while (bytes + 3 <= length) {
            s.appendCodePoint(0x4e00 + RANDOM.nextInt(0x5000));
            bytes += 3;
        }
        while (bytes < length) {
            s.append(length - bytes >= 2 ? '\u00e9' : 'e');
            bytes += length - bytes >= 2 ? 2 : 1;
        }
        return s.toString();
    }

    @Test
    void aSubjectOf2048BytesOfUtf8StartsWithTheLongestIdempotencyKey() {
        String subject = utf8(2048);
        assertThat(subject.getBytes(StandardCharsets.UTF_8).length, is(2048));
        String user = TestTokens.token(subject, "flow-user");
        try (Response r = as(user, "/executions").header("Idempotency-Key", "k".repeat(255)).post(Entity.json(START))) {
            assertThat(r.readEntity(String.class), r.getStatus(), is(201));
        }
        RowCounts rows = RowCounts.of(subject);
        assertThat(rows.get("quota slots"), is(1L));
        assertThat(rows.get("idempotency keys"), is(1L));
    }

    @Test
    void aSubjectOneCharacterOrOneByteOverTheLimitIs401WithAClearDetailAndWritesNothing() {
        String oneCharacterOver = ascii(1025);
        String oneByteOver = utf8(2049);
        assertThat(oneByteOver.getBytes(StandardCharsets.UTF_8).length, is(2049));
        for (String subject : new String[] {oneCharacterOver, oneByteOver}) {
            RowCounts before = RowCounts.of(subject);
            try (Response r = as(TestTokens.token(subject, "flow-user"), "/executions").post(Entity.json(START))) {
                String body = r.readEntity(String.class);
                assertThat(body, r.getStatus(), is(401));
                assertThat(body, containsString("urn:flowguard:problem:unauthenticated"));
                assertThat(body, containsString("longer than 1024 characters (2048 bytes of UTF-8)"));
            }
            assertThat("nothing written", RowCounts.of(subject), is(before));
            assertThat(before.get("executions"), is(0L));
        }
        Map<String, Object> claims = new LinkedHashMap<>(ForgedTokens.validClaims("short-sub", "flow-user"));
        claims.put("upn", oneCharacterOver);
        try (Response r = as(ForgedTokens.rs256(TestTokens.KEYS.privateKey(), claims), "/executions").get()) {
            assertThat("a long upn (the principal name) too", r.getStatus(), is(401));
        }
    }
}
