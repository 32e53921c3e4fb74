package io.flowguard.api;

import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.flowguard.http.SecurityAudit;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.Json;
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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Every kind of security event writes one structured audit line (request id, subject, client,
 * method, path, reason; never a token) and counts in its metric.
 */
@HelidonTest
class SecurityAuditTest {

    private static final String OWNER = "audit-" + UUID.randomUUID();
    private static final String USER = TestTokens.token(OWNER, "flow-user", "agent:no_such_role");
    private static final String NO_ROLE = TestTokens.token("audit-nobody", "nobody");

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.put("flowguard.quota.max-active-executions", "1");
        return new MapConfigSource("audit", values);
    }

    @Inject
    WebTarget target;
    @Inject
    SecurityAudit audit;

    private AuditLines lines;

    @BeforeEach
    void listen() {
        lines = AuditLines.listen();
    }

    @AfterEach
    void stop() {
        lines.close();
    }

    /** Sends the request, then returns the one audit line it wrote, checked against the response. */
    private JsonObject audited(SecurityAudit.Kind kind, Invocation invocation) {
        double before = audit.count(kind);
        lines.clear();
        String requestId;
        try (Response r = invocation.invoke()) {
            requestId = r.getHeaderString("X-Request-Id");
            r.readEntity(String.class);
        }
        assertThat(kind + " counted", audit.count(kind), is(before + 1));
        List<JsonObject> mine = lines.all().stream().map(l -> Json.createReader(new StringReader(l)).readObject())
                .filter(o -> o.getString("event").equals(kind.label())).toList();
        assertThat(kind + ": one line " + lines, mine.size(), is(1));
        JsonObject line = mine.get(0);
        assertThat(line.getString("requestId"), is(requestId));
        assertThat(line.getString("client"), is("127.0.0.1"));
        assertThat(line.getString("reason").isBlank(), is(false));
        for (String l : lines.all()) {
            assertThat("no token in the audit", l, not(containsString("eyJ")));
            assertThat(l, not(containsString("Bearer")));
        }
        return line;
    }

    private Invocation.Builder as(String token, String path) {
        var request = target.path(path).request();
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    @Test
    void eachKindOfSecurityEventIsAuditedAndCounted() {
        JsonObject noToken = audited(SecurityAudit.Kind.AUTHENTICATION_FAILURE, as(null, "/executions").buildGet());
        assertThat(noToken.getString("reason"), is("no token"));
        assertThat(noToken.getString("method"), is("GET"));
        assertThat(noToken.getString("path"), is("executions"));

        String none = ForgedTokens.unsigned(ForgedTokens.header("none"), ForgedTokens.validClaims("x", "flow-user"));
        assertThat(audited(SecurityAudit.Kind.AUTHENTICATION_FAILURE, as(none, "/executions").buildGet())
                .getString("reason"), is("algorithm not accepted"));

        JsonObject role = audited(SecurityAudit.Kind.FORBIDDEN, as(NO_ROLE, "/executions").buildGet());
        assertThat(role.getString("subject"), is("audit-nobody"));

        JsonObject bad = audited(SecurityAudit.Kind.VALIDATION_REJECTED,
                as(USER, "/executions").buildPost(Entity.json("{\"flow\":5}")));
        assertThat(bad.getString("subject"), is(OWNER));
        audited(SecurityAudit.Kind.VALIDATION_REJECTED, as(USER, "/executions").buildPost(Entity.text("x")));

        audited(SecurityAudit.Kind.UNKNOWN_FLOW,
                as(USER, "/executions").buildPost(Entity.json("{\"flow\":\"no-such-flow\",\"input\":{}}")));

        JsonObject unknownRole = audited(SecurityAudit.Kind.UNKNOWN_ROLE, as(USER, "/agent-requests").buildGet());
        assertThat(unknownRole.getString("reason"), containsString("no_such_role"));

        String start = "{\"flow\":\"test-wait\",\"input\":{}}";
        try (Response r = as(USER, "/executions").post(Entity.json(start))) {
            assertThat(r.getStatus(), is(201));
        }
        JsonObject quota = audited(SecurityAudit.Kind.QUOTA_EXCEEDED, as(USER, "/executions").buildPost(Entity.json(start)));
        assertThat(quota.getString("subject"), is(OWNER));

        String otherOwners = TestTokens.token("audit-other", "flow-user");
        String id;
        try (Response r = as(USER, "/executions").get()) {
            id = r.readEntity(jakarta.json.JsonArray.class).getJsonObject(0).getString("id");
        }
        assertThat(audited(SecurityAudit.Kind.FORBIDDEN, as(otherOwners, "/executions/" + id).buildGet())
                .getString("subject"), is("audit-other"));
    }
}
