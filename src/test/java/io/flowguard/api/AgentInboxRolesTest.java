package io.flowguard.api;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.flowguard.http.SecurityAudit;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
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

/**
 * The agent inbox is for agents: a token without a configured agent role is refused (403,
 * audited) rather than shown an empty list; and an unknown agent role in a token is audited once
 * per request, whatever the endpoint.
 */
@HelidonTest
class AgentInboxRolesTest {

    private static final String OWNER = "inbox-roles-" + UUID.randomUUID();

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

    private Invocation.Builder as(String token, String path) {
        return target.path(path).request().header("Authorization", "Bearer " + token);
    }

    /** A request's outcome: status, body, and how many audit lines of each kind it wrote. */
    private record Outcome(int status, String body, int forbidden, int unknownRole) {
    }

    private Outcome send(Invocation invocation) {
        try (Response r = invocation.invoke()) {
            String id = r.getHeaderString("X-Request-Id");
            return new Outcome(r.getStatus(), r.readEntity(String.class),
                    audit.of(id, SecurityAudit.Kind.FORBIDDEN).size(), audit.of(id, SecurityAudit.Kind.UNKNOWN_ROLE).size());
        }
    }

    @Test
    void anInboxAskedWithoutAConfiguredAgentRoleIs403AndAuditedOnce() {
        Map<String, List<String>> tokens = Map.of(
                "a plain flow-user", List.of("flow-user"),
                "agent:*", List.of("flow-user", "agent:*"),
                "agent:root", List.of("agent:root"),
                "agent: (no role)", List.of("agent:"));
        for (Map.Entry<String, List<String>> t : tokens.entrySet()) {
            String token = TestTokens.token("inbox-nobody-" + UUID.randomUUID(), t.getValue().toArray(String[]::new));
            for (Invocation request : List.of(as(token, "/agent-requests").buildGet(),
                    as(token, "/agent-requests").header("Prefer", "wait=20").buildGet(),
                    as(token, "/agent-requests/" + UUID.randomUUID() + "/answer").buildPost(Entity.json("{\"approved\":true}")))) {
                Outcome o = send(request);
                assertThat(t.getKey() + ": " + o.body(), o.status(), is(403));
                assertThat(t.getKey(), o.body(), containsString("urn:flowguard:problem:forbidden"));
                assertThat(t.getKey(), o.body(), containsString("no configured agent role"));
                assertThat(t.getKey() + ": one forbidden line", o.forbidden(), is(1));
                assertThat(t.getKey() + ": unknown roles audited once",
                        o.unknownRole(), is(t.getValue().stream().anyMatch(g -> g.startsWith("agent:")) ? 1 : 0));
            }
        }
        String agent = TestTokens.token("inbox-ceo-" + UUID.randomUUID(), "agent:ceo", "agent:root");
        Outcome o = send(as(agent, "/agent-requests").buildGet());
        assertThat("a configured role beside an unknown one still reads its inbox", o.status(), is(200));
        assertThat(o.unknownRole(), is(1));
    }

    @Test
    void anUnknownAgentRoleIsAuditedOncePerRequestOnEveryEndpoint() {
        String token = TestTokens.token(OWNER, "flow-user", "agent:no_such_role", "agent:*");
        String id;
        try (Response r = as(token, "/executions").post(Entity.json("{\"flow\":\"test-wait\",\"input\":{}}"))) {
            assertThat(r.getStatus(), is(201));
            assertThat("start", audit.of(r.getHeaderString("X-Request-Id"), SecurityAudit.Kind.UNKNOWN_ROLE).size(), is(1));
            id = r.readEntity(JsonObject.class).getString("id");
        }
        assertThat("get", send(as(token, "/executions/" + id).buildGet()).unknownRole(), is(1));
        assertThat("list", send(as(token, "/executions").buildGet()).unknownRole(), is(1));
        assertThat("events", send(as(token, "/executions/" + id + "/events").buildGet()).unknownRole(), is(1));
        try (SseClient stream = SseClient.open(URI.create(target.getUri() + "/executions/" + id + "/stream"), token, null)) {
            assertThat(stream.status(), is(200));
            assertThat("stream", audit.of(stream.header("X-Request-Id"), SecurityAudit.Kind.UNKNOWN_ROLE).size(), is(1));
        }
        Outcome cancel = send(as(token, "/executions/" + id + "/cancel").buildPost(Entity.json("")));
        assertThat(cancel.body(), cancel.status(), is(200));
        assertThat("cancel", cancel.unknownRole(), is(1));
    }
}
