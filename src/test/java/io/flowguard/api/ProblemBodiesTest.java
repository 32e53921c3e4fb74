package io.flowguard.api;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.engine.EngineException;
import io.flowguard.http.Problems;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Every kind of error body, made the way the API makes it (the engine refusals' mapping, the
 * framework statuses, the unforeseen error): an RFC 9457 problem with its documented status and
 * type, a title, the response's status, and nothing else; including the kinds the hostile tables
 * over the server cannot reach cheaply (a conflict, a quota, a stream cap).
 */
class ProblemBodiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The documented status and type of each engine refusal (README, OpenAPI). */
    private static final Map<EngineException.Problem, String> DOCUMENTED = documented();

    private static Map<EngineException.Problem, String> documented() {
        Map<EngineException.Problem, String> m = new EnumMap<>(EngineException.Problem.class);
        m.put(EngineException.Problem.UNKNOWN_FLOW, "422 unknown-flow");
        m.put(EngineException.Problem.INVALID_INPUT, "400 invalid-input");
        m.put(EngineException.Problem.STATE_TOO_LARGE, "413 state-too-large");
        m.put(EngineException.Problem.NOT_FOUND, "404 not-found");
        m.put(EngineException.Problem.CONFLICT, "409 conflict");
        m.put(EngineException.Problem.FORBIDDEN, "403 forbidden");
        m.put(EngineException.Problem.STALE_VERSION, "412 stale-version");
        m.put(EngineException.Problem.IDEMPOTENCY_MISMATCH, "422 idempotency-key-reused");
        m.put(EngineException.Problem.QUOTA_EXCEEDED, "429 quota-exceeded");
        m.put(EngineException.Problem.TOO_MANY_STREAMS, "429 too-many-streams");
        m.put(EngineException.Problem.NO_MIGRATION, "422 no-migration");
        return m;
    }

    private static String body(Response r) {
        try {
            return JSON.writeValueAsString(r.getEntity());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyEngineRefusalIsAProblemOfItsDocumentedStatusAndType() {
        List<String> wrong = new ArrayList<>();
        Set<String> types = new HashSet<>();
        for (EngineException.Problem kind : EngineException.Problem.values()) {
            Response r = EngineExceptionMapper.problem(new EngineException(kind, "why it was refused"));
            String body = body(r);
            String documented = DOCUMENTED.getOrDefault(kind, "(undocumented)");
            String slug = documented.substring(documented.indexOf(' ') + 1);
            if (!documented.equals(r.getStatus() + " " + slug)
                    || !body.contains("\"type\":\"" + Problems.TYPE_PREFIX + slug + "\"")) {
                wrong.add(kind + ": " + r.getStatus() + " " + body + ", documented " + documented);
            }
            if (!Problems.PROBLEM_JSON.equals(r.getMediaType())) {
                wrong.add(kind + ": media type " + r.getMediaType());
            }
            if (!body.contains("\"detail\":\"why it was refused\"")) {
                wrong.add(kind + ": the detail is not the refusal's message: " + body);
            }
            HostileRequests.problemShape(body, r.getStatus()).forEach(w -> wrong.add(kind + ": " + w));
            types.add(slug);
        }
        assertThat(String.join("\n", wrong), wrong.isEmpty(), is(true));
        assertThat("a type of its own per kind", types.size(), is(EngineException.Problem.values().length));
    }

    @Test
    void everyErrorStatusTheFrameworkRaisesIsAProblemOfThatStatus() {
        List<String> wrong = new ArrayList<>();
        for (int status = 400; status < 600; status++) {
            Response r = Response.status(status).type(Problems.PROBLEM_JSON).entity(Problems.forStatus(status)).build();
            int s = status;
            HostileRequests.problemShape(body(r), status).forEach(w -> wrong.add(s + ": " + w));
        }
        assertThat(String.join("\n", wrong), wrong.isEmpty(), is(true));
        assertThat(JSON.valueToTree(Problems.forStatus(401)).path("type").textValue(),
                is(Problems.TYPE_PREFIX + "unauthenticated"));
        assertThat(JSON.valueToTree(Problems.forStatus(503)).path("type").textValue(),
                is(Problems.TYPE_PREFIX + "internal-error"));
    }

    @Test
    void anUnforeseenErrorIsA500ProblemThatTellsOnlyItsIncident() {
        Response r = new UnexpectedExceptionMapper().toResponse(
                new IllegalStateException("SELECT secret FROM io.flowguard.store.Hidden"));
        String body = body(r);
        assertThat(r.getStatus(), is(500));
        assertThat(HostileRequests.problemShape(body, 500), is(List.of()));
        assertThat(body, containsString("\"type\":\"urn:flowguard:problem:internal-error\""));
        assertThat(JSON.valueToTree(r.getEntity()).path("detail").textValue(), startsWith("incident "));
        assertThat(body, not(containsString("secret")));
    }
}
