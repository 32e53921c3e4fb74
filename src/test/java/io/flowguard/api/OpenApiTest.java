package io.flowguard.api;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.flowguard.engine.EngineException;
import io.flowguard.http.Problems;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The document at {@code /openapi} describes every endpoint the application has (found by
 * reflection over its resources, so a new one cannot go undocumented), with its roles, the
 * bearer scheme, its problem responses, and every problem type the code can produce.
 */
@HelidonTest
class OpenApiTest {

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    private JsonObject document() {
        try (Response r = target.path("/openapi").request("application/json").get()) {
            assertThat("served without a token", r.getStatus(), is(200));
            return r.readEntity(JsonObject.class);
        }
    }

    /** @return "METHOD /path" for every resource method of the application */
    private static Set<String> endpoints() {
        Set<String> endpoints = new LinkedHashSet<>();
        for (Class<?> type : new FlowguardApplication().getClasses()) {
            Path root = type.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method m : type.getDeclaredMethods()) {
                String verb = null;
                for (var a : m.getAnnotations()) {
                    HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
                    if (http != null) {
                        verb = http.value();
                    }
                }
                if (verb == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String path = ("/" + root.value() + (sub == null ? "" : "/" + sub.value())).replaceAll("/+", "/");
                endpoints.add(verb + " " + path.replaceAll("/$", ""));
            }
        }
        return endpoints;
    }

    @Test
    void everyEndpointIsDocumentedWithItsRolesAndProblems() {
        JsonObject paths = document().getJsonObject("paths");
        Set<String> endpoints = endpoints();
        assertThat("found the resources", endpoints.size() >= 10, is(true));
        assertThat(endpoints.contains("GET /executions/{id}/stream"), is(true));
        List<String> missing = new ArrayList<>();
        for (String endpoint : endpoints) {
            String[] parts = endpoint.split(" ", 2);
            JsonObject path = paths.getJsonObject(parts[1]);
            JsonObject operation = path == null ? null : path.getJsonObject(parts[0].toLowerCase(Locale.ROOT));
            if (operation == null) {
                missing.add(endpoint + ": not documented");
                continue;
            }
            if (!operation.containsKey("x-roles") || operation.getJsonArray("x-roles").isEmpty()) {
                missing.add(endpoint + ": no x-roles");
            }
            JsonObject responses = operation.getJsonObject("responses");
            // [] or [{}]: no authentication required
            boolean open = operation.containsKey("security") && operation.getJsonArray("security").stream()
                    .allMatch(requirement -> requirement.asJsonObject().isEmpty());
            if (open != endpoint.contains(" /health")) {
                missing.add(endpoint + ": only health is open to anyone");
            }
            if (!open && !responses.containsKey("401")) {
                missing.add(endpoint + ": no 401");
            }
            for (Map.Entry<String, JsonValue> response : responses.entrySet()) {
                if (response.getKey().startsWith("4") && !response.getValue().toString()
                        .contains("application/problem+json")) {
                    missing.add(endpoint + ": " + response.getKey() + " is not a problem");
                }
            }
        }
        assertThat(String.join("\n", missing), missing.isEmpty(), is(true));
        assertThat(endpoints.contains("GET /flows") && GET.class.getAnnotation(HttpMethod.class) != null, is(true));
    }

    @Test
    void bearerTokensAreRequiredEverywhere() {
        JsonObject doc = document();
        assertThat(doc.getJsonArray("security").toString(), is("[{\"bearer\":[]}]"));
        JsonObject scheme = doc.getJsonObject("components").getJsonObject("securitySchemes").getJsonObject("bearer");
        assertThat(scheme.getString("scheme"), is("bearer"));
        assertThat(scheme.getString("bearerFormat"), is("JWT"));
    }

    @Test
    void everyProblemTypeTheCodeProducesIsListed() {
        Set<String> listed = new LinkedHashSet<>();
        document().getJsonObject("components").getJsonObject("schemas").getJsonObject("Problem")
                .getJsonObject("properties").getJsonObject("type").getJsonArray("enum")
                .forEach(v -> listed.add(((JsonString) v).getString()));
        Set<String> produced = new LinkedHashSet<>();
        for (EngineException.Problem p : EngineException.Problem.values()) {
            produced.add(type(EngineExceptionMapper.problem(new EngineException(p, "x")).getEntity()));
        }
        for (int status = 400; status < 600; status++) {
            produced.add(String.valueOf(Problems.forStatus(status).get("type")));
        }
        produced.add(type(new UnexpectedExceptionMapper().toResponse(new IllegalStateException()).getEntity()));
        produced.add(type(RateLimitFilters.tooMany(new RateLimiter.Verdict(false, 1)).getEntity()));
        produced.add(type(RequestSizeFilter.tooLarge(1).getResponse().getEntity()));
        produced.removeAll(listed);
        assertThat("undocumented problem types: " + produced, produced.isEmpty(), is(true));
    }

    private static String type(Object problemBody) {
        return String.valueOf(((Map<?, ?>) problemBody).get("type"));
    }
}
