package io.flowguard.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.interaction.ApiOperationResolver;
import com.atlassian.oai.validator.model.ApiOperationMatch;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * The served {@code /openapi} document as a contract the live server is held to: each call goes
 * through the real server over HTTP/1.1 and its answer is checked against the document by
 * Atlassian's swagger-request-validator (the status is declared for the operation, the media type
 * too, the body is valid against the response schema, declared headers are present and valid),
 * and every header the answer carries, besides HTTP's own and the security headers the document
 * lists once in its info, must be declared on that response. A call meant to be valid has its
 * request checked against the document too. The operations called and their statuses are kept,
 * so a test can require that every operation was exercised.
 */
final class ApiContract {

    /**
     * Headers every answer may carry without each response declaring them: HTTP's framing and
     * date, and the security headers the document's info names (sent on every answer by the edge).
     */
    static final Set<String> UNDECLARED_EVERYWHERE = Set.of("content-type", "content-length", "transfer-encoding",
            "connection", "date", "keep-alive", "cache-control", "x-content-type-options", "x-frame-options",
            "content-security-policy", "referrer-policy", "strict-transport-security");

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One answer as received. */
    record Answer(int status, Map<String, List<String>> headers, String body) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }
    }

    private final URI base;
    private final String document;
    private final OpenAPI api;
    private final OpenApiInteractionValidator validator;
    private final ApiOperationResolver operations;
    private final Map<String, Set<Integer>> seen = new TreeMap<>();

    private ApiContract(URI base, String document) {
        this.base = base;
        this.document = document;
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document, null, options);
        assertThat("the document parses: " + parsed.getMessages(), parsed.getMessages(), is(empty()));
        this.api = parsed.getOpenAPI();
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(document).build();
        this.operations = new ApiOperationResolver(api, null, false);
    }

    /**
     * @param base the test server's root, e.g. {@code http://localhost:12345}
     * @return the contract the server serves at {@code /openapi} (as JSON)
     */
    static ApiContract of(URI base) {
        HttpResponse<String> served = send(HttpRequest.newBuilder(base.resolve("/openapi"))
                .header("Accept", "application/json").GET().build());
        assertThat("/openapi is served without a token", served.statusCode(), is(200));
        return new ApiContract(base, served.body());
    }

    /** @return the document as served (JSON) */
    String document() {
        return document;
    }

    /** @return the document, parsed */
    OpenAPI api() {
        return api;
    }

    /** A call: method, path (with its query string) and headers; a body is sent as given. */
    static final class Call {
        private final String method;
        private final String pathAndQuery;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;
        private boolean valid = true;

        private Call(String method, String pathAndQuery) {
            this.method = method;
            this.pathAndQuery = pathAndQuery;
        }

        /** @return this call with a bearer token (none when null) */
        Call token(String token) {
            if (token != null) {
                headers.put("Authorization", "Bearer " + token);
            }
            return this;
        }

        Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** @return this call with a JSON body ({@code Content-Type: application/json}) */
        Call json(String json) {
            headers.putIfAbsent("Content-Type", "application/json");
            this.body = json;
            return this;
        }

        /** @return this call with a body of the given type */
        Call body(String contentType, String content) {
            headers.put("Content-Type", contentType);
            this.body = content;
            return this;
        }

        /**
         * @return this call marked as one the server must refuse: its request is not held to the
         *         document (the answer still is)
         */
        Call refused() {
            this.valid = false;
            return this;
        }
    }

    static Call get(String pathAndQuery) {
        return new Call("GET", pathAndQuery);
    }

    static Call post(String pathAndQuery) {
        return new Call("POST", pathAndQuery);
    }

    /**
     * Sends the call and checks request (when valid) and answer against the document.
     *
     * @return the answer, once it passed
     */
    Answer send(Call call) {
        HttpRequest.Builder http = HttpRequest.newBuilder(base.resolve(call.pathAndQuery)).timeout(Duration.ofSeconds(60))
                .method(call.method, call.body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body, StandardCharsets.UTF_8));
        call.headers.forEach(http::header);
        HttpResponse<String> response = send(http.build());
        Answer answer = new Answer(response.statusCode(), response.headers().map(), response.body());
        check(call, answer);
        return answer;
    }

    private void check(Call call, Answer answer) {
        URI uri = base.resolve(call.pathAndQuery);
        Request.Method method = Request.Method.valueOf(call.method);
        SimpleResponse.Builder response = new SimpleResponse.Builder(answer.status());
        answer.headers().forEach(response::withHeader);
        if (!answer.body().isEmpty()) {
            response.withBody(answer.body());
        }
        ValidationReport report;
        if (call.valid) {
            SimpleRequest.Builder request = new SimpleRequest.Builder(method, uri.getRawPath());
            call.headers.forEach(request::withHeader);
            if (call.body != null) {
                request.withBody(call.body);
            }
            if (uri.getRawQuery() != null) {
                for (String pair : uri.getRawQuery().split("&")) {
                    String[] nameValue = pair.split("=", 2);
                    request.withQueryParam(nameValue[0], nameValue.length > 1 ? nameValue[1] : "");
                }
            }
            report = validator.validate(request.build(), response.build());
        } else {
            report = validator.validateResponse(uri.getRawPath(), method, response.build());
        }
        List<String> problems = new ArrayList<>();
        report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .forEach(m -> problems.add(m.getKey() + ": " + m.getMessage()));
        Operation operation = operation(uri.getRawPath(), method);
        ApiResponse declared = operation == null ? null : declaredResponse(operation, answer.status());
        if (declared != null) {
            Set<String> declaredHeaders = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            if (declared.getHeaders() != null) {
                declaredHeaders.addAll(declared.getHeaders().keySet());
            }
            for (String name : answer.headers().keySet()) {
                if (!UNDECLARED_EVERYWHERE.contains(name.toLowerCase(Locale.ROOT)) && !declaredHeaders.contains(name)) {
                    problems.add("header " + name + " is not declared on " + operation.getOperationId() + " "
                            + answer.status());
                }
            }
            seen.computeIfAbsent(operation.getOperationId(), id -> new TreeSet<>()).add(answer.status());
        }
        assertThat(call.method + " " + call.pathAndQuery + " -> " + answer.status() + " " + answer.body()
                + "\n" + String.join("\n", problems), problems, is(empty()));
    }

    /**
     * Checks one JSON value against a schema of the document's components (e.g. an event sent on
     * the live stream against {@code Event}).
     */
    void assertValid(String json, String schemaName) {
        ValidationReport report = new SchemaValidator(api, new MessageResolver())
                .validate(json, api.getComponents().getSchemas().get(schemaName), "live");
        List<String> problems = report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m.getMessage()).toList();
        assertThat(json + " against " + schemaName + "\n" + String.join("\n", problems), problems, is(empty()));
    }

    /** @return operationId to the statuses its calls were answered with */
    Map<String, Set<Integer>> seen() {
        return seen;
    }

    /** @return every operationId of the document */
    Set<String> operationIds() {
        Set<String> ids = new TreeSet<>();
        api.getPaths().values().forEach(path -> path.readOperations().forEach(o -> ids.add(o.getOperationId())));
        return ids;
    }

    private Operation operation(String path, Request.Method method) {
        ApiOperationMatch match = operations.findApiOperation(path, method);
        return match.isPathFound() && match.isOperationAllowed() ? match.getApiOperation().getOperation() : null;
    }

    /** The operation's response for a status, its {@code $ref} followed. */
    private ApiResponse declaredResponse(Operation operation, int status) {
        ApiResponse response = operation.getResponses().get(Integer.toString(status));
        if (response != null && response.get$ref() != null) {
            String name = response.get$ref().substring(response.get$ref().lastIndexOf('/') + 1);
            response = api.getComponents().getResponses().get(name);
        }
        return response;
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
