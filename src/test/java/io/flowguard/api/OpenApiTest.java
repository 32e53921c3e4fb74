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
import io.flowguard.store.AgentRequest;
import io.flowguard.store.EventType;
import io.flowguard.store.ExecutionStatus;
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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The document at {@code /openapi} describes every endpoint the application has (found by
 * reflection over its resources, so a new one cannot go undocumented), with its operationId, its
 * roles, the bearer scheme, its problem responses, and every problem type the code can produce;
 * it is well formed for client generators. {@link OpenApiLiveResponsesTest} holds the live answers
 * to it.
 */
@HelidonTest
class OpenApiTest {

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    private JsonObject document;

    private JsonObject document() {
        if (document == null) {
            try (Response r = target.path("/openapi").request("application/json").get()) {
                assertThat("served without a token", r.getStatus(), is(200));
                document = r.readEntity(JsonObject.class);
            }
        }
        return document;
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
            if (!operation.containsKey("operationId")) {
                missing.add(endpoint + ": no operationId");
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
                if (response.getKey().startsWith("4") && !resolved(response.getValue().asJsonObject())
                        .getJsonObject("content").containsKey("application/problem+json")) {
                    missing.add(endpoint + ": " + response.getKey() + " is not a problem");
                }
            }
        }
        assertThat(String.join("\n", missing), missing.isEmpty(), is(true));
        assertThat(endpoints.contains("GET /flows") && GET.class.getAnnotation(HttpMethod.class) != null, is(true));
    }

    /** @return the response, or the shared one it refers to */
    private JsonObject resolved(JsonObject response) {
        if (!response.containsKey("$ref")) {
            return response;
        }
        String name = response.getString("$ref").substring("#/components/responses/".length());
        return document().getJsonObject("components").getJsonObject("responses").getJsonObject(name);
    }

    @Test
    void operationIdsAreUniqueNamesAGeneratedClientCanUse() {
        List<String> ids = new ArrayList<>();
        document().getJsonObject("paths").values().forEach(path -> path.asJsonObject().values()
                .forEach(operation -> ids.add(operation.asJsonObject().getString("operationId", "(none)"))));
        assertThat(ids.toString(), Set.copyOf(ids).size(), is(ids.size()));
        assertThat(ids.toString(), ids.stream().allMatch(id -> id.matches("[a-z][A-Za-z]+")), is(true));
    }

    /**
     * What OpenAPI 3.0 ignores and generated clients trip on: a {@code $ref} with siblings (a list
     * response written as {@code $ref} beside {@code type: array} is read as one object), an array
     * without {@code items}, a reference to nothing. CI lints the same document with Spectral and
     * Redocly; this keeps {@code mvn test} from passing a document they would refuse.
     */
    @Test
    void everyReferenceStandsAloneAndResolvesAndEveryArrayHasItems() {
        JsonObject doc = document();
        List<String> wrong = new ArrayList<>();
        walk(doc, "#", (where, node) -> {
            if (node.containsKey("$ref")) {
                if (node.size() != 1) {
                    wrong.add(where + ": $ref with siblings " + node.keySet());
                }
                if (resolve(doc, node.getString("$ref")) == null) {
                    wrong.add(where + ": " + node.getString("$ref") + " resolves to nothing");
                }
            }
            if (node.get("type") instanceof JsonString type && type.getString().equals("array")
                    && !node.containsKey("items")) {
                wrong.add(where + ": an array without items");
            }
        });
        assertThat(String.join("\n", wrong), wrong.isEmpty(), is(true));
    }

    private static JsonValue resolve(JsonObject doc, String ref) {
        JsonValue at = doc;
        for (String part : ref.substring(2).split("/")) {
            at = at instanceof JsonObject o ? o.get(part) : null;
        }
        return at;
    }

    private static void walk(JsonValue node, String where, java.util.function.BiConsumer<String, JsonObject> visit) {
        if (node instanceof JsonObject object) {
            visit.accept(where, object);
            object.forEach((key, value) -> walk(value, where + "/" + key, visit));
        } else if (node instanceof jakarta.json.JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                walk(array.get(i), where + "/" + i, visit);
            }
        }
    }

    /** The statuses a response can carry are the code's own enums, so a client reads every value it meets. */
    @Test
    void enumsAreTheCodesOwn() {
        JsonObject schemas = document().getJsonObject("components").getJsonObject("schemas");
        assertThat(values(schemas, "ExecutionStatus"), is(names(ExecutionStatus.values())));
        assertThat(values(schemas, "EventType"), is(names(EventType.values())));
        assertThat(values(schemas, "AgentRequestStatus"), is(names(AgentRequest.Status.values())));
    }

    private static List<String> values(JsonObject schemas, String name) {
        return schemas.getJsonObject(name).getJsonArray("enum").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).toList();
    }

    private static List<String> names(Enum<?>[] values) {
        return java.util.Arrays.stream(values).map(Enum::name).toList();
    }

    /**
     * A start's input and an answer are free-form in the document: their descriptions and links
     * lead to where each flow publishes their JSON Schemas ({@code GET /flows/{name}}).
     */
    @Test
    void theFreeFormBodiesLeadToTheFlowsOwnSchemas() {
        JsonObject doc = document();
        JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
        for (String body : new String[] {"FlowInput", "AgentAnswer", "ExecutionState"}) {
            assertThat(body, schemas.getJsonObject(body).getString("description"), containsString("GET /flows/{name}"));
        }
        JsonObject start = doc.getJsonObject("paths").getJsonObject("/executions").getJsonObject("post")
                .getJsonObject("responses");
        for (String status : new String[] {"201", "200"}) {
            JsonObject link = start.getJsonObject(status).getJsonObject("links").getJsonObject("flowSchemas");
            assertThat(link.toString(), link.getString("operationId"), is("getFlow"));
            assertThat(link.getJsonObject("parameters").getString("name"), is("$request.body#/flow"));
        }
        JsonObject flow = doc.getJsonObject("paths").getJsonObject("/flows/{name}").getJsonObject("get")
                .getJsonObject("responses").getJsonObject("200").getJsonObject("links");
        assertThat(flow.getJsonObject("start").getString("operationId"), is("startExecution"));
        assertThat(flow.getJsonObject("answer").getString("operationId"), is("answerAgentRequest"));
        assertThat(schemas.getJsonObject("FlowGraph").getJsonArray("required").toString(), containsString("\"versions\""));
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
