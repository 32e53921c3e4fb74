package io.flowguard.api;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.TestDatabase;
import io.flowguard.watch.ChangeSignals;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * A waiting read sees a change that sends no signal to its instance (as one committed by another
 * instance: here the version bump of a lease claim, written over a plain connection) by reading
 * the database again every {@code flowguard.api.wait.recheck}.
 */
@HelidonTest
class WaitingReadsRecheckTest {

    private static final String USER = TestTokens.token("recheck-" + UUID.randomUUID(), "flow-user");

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.put("flowguard.api.wait.recheck", "PT0.3S");
        return new MapConfigSource("waiting-reads-recheck", values);
    }

    @Inject
    WebTarget target;
    @Inject
    ChangeSignals signals;

    private JsonObject execution(String id) {
        try (Response r = target.path("/executions/" + id).request().header("Authorization", "Bearer " + USER).get()) {
            return r.readEntity(JsonObject.class);
        }
    }

    @Test
    void aChangeCommittedElsewhereEndsTheWait() throws Exception {
        String id;
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + USER)
                .post(Entity.json("{\"flow\":\"test-wait\",\"input\":{\"key\":\"recheck\"}}"))) {
            assertThat(r.getStatus(), is(201));
            id = r.readEntity(JsonObject.class).getString("id");
        }
        Await.until("WAITING_AGENT", Duration.ofSeconds(30), () -> execution(id).getString("status").equals("WAITING_AGENT"));
        long version = execution(id).getJsonNumber("version").longValue();

        int waitersBefore = signals.waiting();
        CompletableFuture<TimedGet.Answer> waiting = new TimedGet(target.getUri()).inBackground("/executions/" + id,
                USER, Map.of("If-None-Match", "\"" + version + "\"", "Prefer", "wait=25"));
        Await.until("the read to wait on the server", Duration.ofSeconds(30), () -> signals.waiting() > waitersBefore);
        assertThat("still waiting while nothing changed", waiting.isDone(), is(false));
        try (Connection c = TestDatabase.shared().connect();
             PreparedStatement bump = c.prepareStatement("UPDATE flow_execution SET version = version + 1 WHERE id = ?")) {
            bump.setObject(1, UUID.fromString(id));
            assertThat(bump.executeUpdate(), is(1));
        }

        TimedGet.Answer answer = waiting.get(60, TimeUnit.SECONDS);
        assertThat(answer.status(), is(200));
        JsonObject body = Json.createReader(new StringReader(answer.response().body())).readObject();
        assertThat(body.getJsonNumber("version").longValue(), is(version + 1));
        assertThat("seen by a recheck, not at the end of the wait", answer.took(), lessThan(Duration.ofSeconds(15)));
    }
}
