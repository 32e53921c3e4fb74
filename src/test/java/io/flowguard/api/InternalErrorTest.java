package io.flowguard.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.TestDatabase;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * A real internal error through the real server (a stored row this build cannot read, which
 * really throws while a response is built) is a 500 {@code internal-error} problem whose body
 * holds nothing of the exception (message, class name, stack, the row's text), only an incident
 * id; the log has the cause under the same id.
 */
@HelidonTest
class InternalErrorTest {

    @AddConfigSource
    static ConfigSource config() {
        return new MapConfigSource("internal-error", TestTokens.config());
    }

    @Inject
    WebTarget target;

    @Test
    void anInternalErrorCarriesOnlyItsIncidentIdNeverTheExceptionsText() throws SQLException {
        String owner = "internal-" + UUID.randomUUID();
        String id;
        try (Response r = target.path("/executions").request()
                .header("Authorization", "Bearer " + TestTokens.token(owner, "flow-user"))
                .post(Entity.json("{\"flow\":\"test-wait\",\"input\":{}}"))) {
            assertThat(r.getStatus(), is(201));
            id = r.readEntity(JsonObject.class).getString("id");
        }
        String lead = TestTokens.token("internal-lead", "agent:test_lead");
        Await.until("the question of " + id, Duration.ofSeconds(30), () -> {
            try (Response r = target.path("/agent-requests").queryParam("execution", id).request()
                    .header("Authorization", "Bearer " + lead).get()) {
                return r.readEntity(String.class).contains(id);
            }
        });
        // A row this build cannot read (written by a broken or older build): showing it really throws.
        setPayload(id, "{\"secret\": \"at io.flowguard.Hidden(Hidden.java:1)");
        try {
            assertOnlyAnIncidentId(id, lead);
        } finally {
            setPayload(id, "[]"); // the suite shares this inbox
        }
    }

    private void assertOnlyAnIncidentId(String id, String lead) {
        AuditLines log = AuditLines.listen(UnexpectedExceptionMapper.class.getName());
        String raw;
        try (log; Response r = target.path("/agent-requests").queryParam("execution", id).request()
                .header("Authorization", "Bearer " + lead).get()) {
            assertThat(r.getStatus(), is(500));
            assertThat(r.getMediaType().toString(), is("application/problem+json"));
            raw = r.readEntity(String.class);
        }

        JsonObject problem = jakarta.json.Json.createReader(new java.io.StringReader(raw)).readObject();
        assertThat(problem.keySet(), is(java.util.Set.of("type", "title", "status", "detail")));
        assertThat(problem.getString("type"), is("urn:flowguard:problem:internal-error"));
        assertThat(problem.getString("title"), is("Internal error"));
        assertThat(problem.getInt("status"), is(500));
        assertThat(problem.getString("detail"), problem.getString("detail").matches("incident [0-9a-f-]{36}"), is(true));
        for (String leak : List.of("Exception", "unreadable", "secret", "Hidden", "io.flowguard", "java.", "\tat ",
                "payload", "JSON")) {
            assertThat(raw, not(containsString(leak)));
        }
        String incident = problem.getString("detail").substring("incident ".length());
        assertThat("the log has the cause, under the same incident id",
                log.all().stream().anyMatch(l -> l.contains(incident) && l.contains("IllegalStateException")), is(true));
    }

    private static void setPayload(String executionId, String payload) throws SQLException {
        try (Connection c = TestDatabase.shared().connect();
             PreparedStatement s = c.prepareStatement("UPDATE agent_request SET payload = ? WHERE execution_id = ?")) {
            s.setString(1, payload);
            s.setObject(2, UUID.fromString(executionId));
            assertThat(s.executeUpdate(), is(1));
        }
    }
}
