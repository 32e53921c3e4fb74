package io.flowguard.api;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.RelayedDatabase;
import io.flowguard.testing.RowCounts;
import io.flowguard.testing.TestDatabase;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * While the database is unreachable (a real TCP relay in front of it, cut), a request with a
 * valid token that needs the database is a 503 {@code service-unavailable} problem with
 * {@code Retry-After}, never a 500, and writes nothing; once the database is back (the relay
 * restored) a start succeeds again without a restart.
 *
 * <p>On H2 the database is served by H2's TCP server through the relay. The recovery is checked
 * on PostgreSQL only: a broken H2 TCP connection reports codes (90067, 90121) that HikariCP 5.0
 * does not evict a connection on, so the pool keeps the broken ones; PostgreSQL reports class 08,
 * which it evicts. In production H2 is embedded, and an embedded connection does not break.
 */
@HelidonTest
class DatabaseOutageTest {

    private static final RelayedDatabase DB = RelayedDatabase.of(TestDatabase.shared());
    private static final String START = "{\"flow\":\"test-wait\",\"input\":{}}";

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.putAll(DB.config());
        values.put("flowguard.db.pool.connection-timeout", "PT0.5S");
        return new MapConfigSource("database-outage", values);
    }

    @Inject
    WebTarget target;

    @AfterAll
    static void closeRelay() {
        DB.relay().close();
    }

    @Test
    void whileTheDatabaseIsUnreachableRequestsAre503WithRetryAfterWriteNothingAndOnceItIsBackAStartSucceeds() {
        String owner = "outage-" + UUID.randomUUID();
        String token = TestTokens.token(owner, "flow-user");
        String existing = started(token);
        Await.until("the execution to park at its question", Duration.ofSeconds(30), () -> {
            try (Response r = get(token, "/executions/" + existing)) {
                return r.readEntity(JsonObject.class).getString("status").equals("WAITING_AGENT");
            }
        });
        RowCounts before = RowCounts.of(owner);

        DB.relay().cut();
        try {
            try (Response r = start(token)) {
                assertUnavailable(r);
            }
            try (Response r = get(token, "/executions/" + existing)) {
                assertUnavailable(r);
            }
            try (Response r = get(token, "/executions")) {
                assertUnavailable(r);
            }
        } finally {
            DB.relay().restore();
        }
        assertThat("the refused start wrote nothing", RowCounts.of(owner), is(before));

        if (!TestDatabase.isPostgres()) {
            return; // see the class comment
        }
        Await.until("the service to be ready again", Duration.ofSeconds(30), () -> {
            try (Response r = target.path("/health/ready").request().get()) {
                return r.getStatus() == 200;
            }
        });
        started(token);
        assertThat(RowCounts.of(owner).get("executions"), is(2L));
    }

    private void assertUnavailable(Response r) {
        assertThat(r.getStatus(), is(503));
        assertThat("Retry-After in seconds", String.valueOf(r.getHeaderString("Retry-After")).matches("[1-9][0-9]*"), is(true));
        assertThat(r.getMediaType().toString(), is("application/problem+json"));
        String raw = r.readEntity(String.class);
        JsonObject problem = jakarta.json.Json.createReader(new java.io.StringReader(raw)).readObject();
        assertThat(problem.getString("type"), is("urn:flowguard:problem:service-unavailable"));
        assertThat(problem.getInt("status"), is(503));
        for (String leak : List.of("Exception", "SQL", "jdbc", "127.0.0.1", "Hikari", "Connection")) {
            assertThat(raw, not(containsString(leak)));
        }
    }

    private String started(String token) {
        try (Response r = start(token)) {
            assertThat(r.getStatus(), is(201));
            return r.readEntity(JsonObject.class).getString("id");
        }
    }

    private Response start(String token) {
        return target.path("/executions").request().header("Authorization", "Bearer " + token).post(Entity.json(START));
    }

    private Response get(String token, String path) {
        String[] parts = path.split("\\?", 2);
        WebTarget t = target.path(parts[0]);
        if (parts.length == 2) {
            String[] kv = parts[1].split("=", 2);
            t = t.queryParam(kv[0], kv[1]);
        }
        return t.request().header("Authorization", "Bearer " + token).get();
    }
}
