package io.flowguard.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpServer;
import io.flowguard.api.HostileRequests.Case;
import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static io.flowguard.api.HostileRequests.Case.of;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The hostile suite: the OWASP API Security Top 10 (2023) against the running service, each case
 * asserting its status (and problem type) and that nothing changed. Ends with one line,
 * {@code hostile: N passed, M failed}. Rate limiting (API4) has its own test with small limits.
 */
@HelidonTest
class HostileSuiteTest {

    private static final String ALICE_SUBJECT = "hostile-alice-" + UUID.randomUUID();
    private static final String ALICE = TestTokens.token(ALICE_SUBJECT, "flow-user");
    private static final String MALLORY_SUBJECT = "hostile-mallory-" + UUID.randomUUID();
    private static final String MALLORY = TestTokens.token(MALLORY_SUBJECT, "flow-user");
    private static final String CEO = TestTokens.token("hostile-ceo", "agent:ceo");
    private static final String CTO = TestTokens.token("hostile-cto", "agent:cto");
    private static final String NOBODY = TestTokens.token("hostile-nobody", "nobody");
    private static final String[] WATCHED = {ALICE_SUBJECT, MALLORY_SUBJECT, "hostile-ceo", "hostile-cto",
        "hostile-nobody", "mallory", "root"};

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    private String waitingApproval() {
        String id;
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + ALICE)
                .post(Entity.json("{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"h\",\"estimatedCost\":5000000}}"))) {
            id = r.readEntity(JsonObject.class).getString("id");
        }
        Await.until("waiting", Duration.ofSeconds(30), () -> {
            try (Response r = target.path("/executions/" + id).request().header("Authorization", "Bearer " + ALICE).get()) {
                return r.readEntity(JsonObject.class).getString("status").equals("WAITING_AGENT");
            }
        });
        return id;
    }

    private String requestOf(String executionId) {
        try (Response r = target.path("/agent-requests").request().header("Authorization", "Bearer " + CEO).get()) {
            return r.readEntity(JsonArray.class).getValuesAs(JsonObject.class).stream()
                    .filter(o -> o.getString("executionId").equals(executionId)).findFirst().orElseThrow().getString("id");
        }
    }

    @Test
    void owaspApiTopTen() throws Exception {
        String id = waitingApproval();
        String exec = "/executions/" + id;
        String answer = "/agent-requests/" + requestOf(id) + "/answer";
        String start = "/executions";
        String okInput = "\"input\":{\"featureName\":\"h\",\"estimatedCost\":1}";
        var claims = ForgedTokens.validClaims("mallory", "flow-user", "flow-admin");
        List<Case> cases = new ArrayList<>();

        // API1 broken object-level authorization: another owner's execution, another role's request.
        cases.add(of("API1 read another owner's execution", "GET", exec, MALLORY, null, 404, "not-found"));
        cases.add(of("API1 read another owner's history", "GET", exec + "/events", MALLORY, null, 404, "not-found"));
        cases.add(of("API1 stream another owner's history", "GET", exec + "/stream", MALLORY, null, 404, "not-found")
                .withHeader("Accept", "text/event-stream"));
        cases.add(of("API1 cancel another owner's execution", "POST", exec + "/cancel", MALLORY, null, 404, "not-found"));
        cases.add(of("API1 cancel it with its current version", "POST", exec + "/cancel", MALLORY, null, 404, "not-found")
                .withHeader("If-Match", "\"5\""));
        cases.add(of("API1 answer a request addressed to another role", "POST", answer, CTO, "{\"approved\":true}", 403, "forbidden"));
        cases.add(of("API1 owner answers its own request without the role", "POST", answer, ALICE, "{\"approved\":true}", 403, "forbidden"));

        // API2 broken authentication.
        cases.add(of("API2 no token", "POST", start, null, "{\"flow\":\"feature-approval\"," + okInput + "}", 401, "unauthenticated"));
        cases.add(of("API2 alg none", "GET", start, ForgedTokens.unsigned(ForgedTokens.header("none"), claims), null, 401, "unauthenticated"));
        cases.add(of("API2 HS256 keyed with the public key", "GET", start,
                ForgedTokens.hs256(TestTokens.KEYS.publicKey().getEncoded(), claims), null, 401, "unauthenticated"));
        cases.add(of("API2 signed by another key", "GET", start,
                ForgedTokens.rs256(ForgedTokens.rsaKeyPair().getPrivate(), claims), null, 401, "unauthenticated"));
        var expired = new java.util.LinkedHashMap<>(claims);
        expired.put("iat", java.time.Instant.now().getEpochSecond() - 600);
        expired.put("nbf", java.time.Instant.now().getEpochSecond() - 600);
        expired.put("exp", java.time.Instant.now().getEpochSecond() - 120);
        cases.add(of("API2 expired", "GET", start, ForgedTokens.rs256(TestTokens.KEYS.privateKey(), expired), null, 401, "unauthenticated"));
        var otherIssuer = new java.util.LinkedHashMap<>(claims);
        otherIssuer.put("iss", "https://evil.example");
        cases.add(of("API2 wrong issuer", "GET", start, ForgedTokens.rs256(TestTokens.KEYS.privateKey(), otherIssuer), null, 401, "unauthenticated"));
        var otherAudience = new java.util.LinkedHashMap<>(claims);
        otherAudience.put("aud", "billing");
        cases.add(of("API2 wrong audience", "GET", start, ForgedTokens.rs256(TestTokens.KEYS.privateKey(), otherAudience), null, 401, "unauthenticated"));
        cases.add(new Case("API2 token in a cookie", "GET", start, null, null, null,
                Map.of("Cookie", "Authorization=" + ALICE), 401, "unauthenticated"));
        cases.add(of("API2 token in the query", "GET", start + "?access_token=" + ALICE, null, null, 401, "unauthenticated"));
        cases.add(new Case("API2 Basic credentials", "GET", start, null, null, null,
                Map.of("Authorization", "Basic YWxpY2U6YWxpY2U="), 401, "unauthenticated"));

        // API3 broken object property-level authorization: mass assignment.
        cases.add(of("API3 start with owner", "POST", start, MALLORY, "{\"flow\":\"feature-approval\"," + okInput + ",\"owner\":\"" + ALICE_SUBJECT + "\"}", 400, "invalid-input"));
        cases.add(of("API3 start with status", "POST", start, MALLORY, "{\"flow\":\"feature-approval\"," + okInput + ",\"status\":\"COMPLETED\"}", 400, "invalid-input"));
        cases.add(of("API3 start with version", "POST", start, MALLORY, "{\"flow\":\"feature-approval\"," + okInput + ",\"version\":0}", 400, "invalid-input"));
        cases.add(of("API3 start with id", "POST", start, MALLORY, "{\"flow\":\"feature-approval\"," + okInput + ",\"id\":\"" + id + "\"}", 400, "invalid-input"));
        cases.add(of("API3 answer naming its answerer", "POST", answer, CEO, "{\"approved\":true,\"answeredBy\":\"board\"}", 400, "invalid-input"));
        cases.add(of("API3 cancel setting a status", "POST", exec + "/cancel", ALICE, "{\"status\":\"COMPLETED\"}", 400, "invalid-input"));
        cases.add(of("API3 PATCH an execution", "PATCH", exec, ALICE, "{\"owner\":\"x\"}", 405, "method-not-allowed"));
        cases.add(of("API3 PUT an execution", "PUT", exec, ALICE, "{\"status\":\"COMPLETED\"}", 405, "method-not-allowed"));

        // API4 unrestricted resource consumption.
        cases.add(of("API4 start body over the cap", "POST", start, MALLORY,
                "{\"flow\":\"feature-approval\",\"input\":{\"description\":\"" + "x".repeat(1_100_000) + "\"}}", 413, "payload-too-large"));
        cases.add(of("API4 answer over 64 KB", "POST", answer, CEO, "{\"approved\":true,\"comment\":\"" + "x".repeat(70_000) + "\"}", 413, "payload-too-large"));
        cases.add(of("API4 nesting 1000 deep", "POST", start, MALLORY,
                "{\"flow\":\"feature-approval\",\"input\":{\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}}", 400, "invalid-input"));
        cases.add(of("API4 a 1000-digit number", "POST", start, MALLORY,
                "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"h\",\"estimatedCost\":" + "9".repeat(1000) + "}}", 400, "invalid-input"));
        cases.add(of("API4 a page of a million", "GET", start + "?limit=1000000", MALLORY, null, 400, "invalid-input"));
        cases.add(of("API4 a huge offset", "GET", start + "?offset=2000000000", MALLORY, null, 400, "invalid-input"));

        // API5 broken function-level authorization.
        cases.add(of("API5 a user lists another owner's executions", "GET", start + "?owner=" + ALICE_SUBJECT, MALLORY, null, 403, "forbidden"));
        cases.add(of("API5 an agent starts executions", "POST", start, CEO, "{\"flow\":\"feature-approval\"," + okInput + "}", 403, "forbidden"));
        cases.add(of("API5 an agent lists executions", "GET", start, CEO, null, 403, "forbidden"));
        cases.add(of("API5 no role reads the flows", "GET", "/flows", NOBODY, null, 403, "forbidden"));
        cases.add(of("API5 a user answers as an agent", "POST", answer, MALLORY, "{\"approved\":false}", 403, "forbidden"));

        // API6 sensitive business flows: one idempotency key cannot start two different things.
        String key = "hostile-" + UUID.randomUUID();
        try (Response r = target.path(start).request().header("Authorization", "Bearer " + MALLORY)
                .header("Idempotency-Key", key).post(Entity.json("{\"flow\":\"test-wait\",\"input\":{}}"))) {
            assertThat(r.getStatus(), is(201));
            String waiting = r.readEntity(JsonObject.class).getString("id");
            Await.until("parked", Duration.ofSeconds(30), () -> {
                try (Response s = target.path("/executions/" + waiting).request()
                        .header("Authorization", "Bearer " + MALLORY).get()) {
                    return s.readEntity(JsonObject.class).getString("status").equals("WAITING_AGENT");
                }
            });
        }
        cases.add(of("API6 reuse an idempotency key for another start", "POST", start, MALLORY,
                "{\"flow\":\"test-wait\",\"input\":{\"key\":\"other\"}}", 422, "idempotency-key-reused").withHeader("Idempotency-Key", key));

        // API7 server-side request forgery: URLs in requests are never fields the engine follows.
        cases.add(of("API7 a callback URL in the start", "POST", start, MALLORY,
                "{\"flow\":\"feature-approval\"," + okInput + ",\"callbackUrl\":\"http://169.254.169.254/latest/meta-data\"}", 400, "invalid-input"));
        cases.add(of("API7 a webhook URL in the input", "POST", start, MALLORY,
                "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"h\",\"estimatedCost\":1,\"webhook\":\"http://127.0.0.1:22/\"}}", 400, "invalid-input"));
        cases.add(of("API7 a flow named by URL", "POST", start, MALLORY,
                "{\"flow\":\"http://evil.example/flow.jar\",\"input\":{}}", 400, "invalid-input"));

        // API8 security misconfiguration.
        cases.add(of("API8 TRACE", "TRACE", start, ALICE, null, 405, "method-not-allowed"));
        cases.add(of("API8 XML where JSON is expected", "POST", start, ALICE, "<x/>", 415, "unsupported-media-type")
                .withContentType("application/xml"));
        cases.add(of("API8 a request that makes the server fail is not a stack trace", "GET", exec + "/events?after=%00", ALICE, null, 400, "invalid-input"));

        // API9 improper inventory: nothing is served beyond the documented API, health and /openapi.
        for (String path : new String[] {"/application.wadl", "/metrics/vendor", "/h2-console", "/admin", "/actuator/env",
                "/executions/" + id + "/state", "/api/v1/executions"}) {
            cases.add(of("API9 undocumented " + path, "GET", path, ALICE, null, 404, "not-found"));
        }

        List<String> failed = new ArrayList<>(HostileRequests.failures(target.getUri(), cases, WATCHED));
        int total = cases.size();

        // Checks that are not one request and one status.
        List<Supplier<String>> checks = new ArrayList<>();
        checks.add(() -> noOutboundCall(id));
        checks.add(this::noInternalFieldsInResponses);
        checks.add(() -> inboxShowsOnlyTheRole(id));
        checks.add(this::openApiTakesNoUrls);
        checks.add(this::disallowedOriginGetsNoCorsHeaders);
        for (Supplier<String> check : checks) {
            String failure = check.get();
            if (failure != null) {
                failed.add(failure);
            }
        }
        total += checks.size();
        System.out.println("hostile: " + (total - failed.size()) + " passed, " + failed.size() + " failed");
        assertThat(String.join("\n", failed), failed.isEmpty(), is(true));
        assertThat("at least 40 cases", total >= 40, is(true));
    }

    /** API7: a URL inside accepted state is data; the engine never calls it. */
    private String noOutboundCall(String unused) {
        AtomicInteger hits = new AtomicInteger();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            return "API7 local server: " + e;
        }
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/steal";
            String id;
            try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + MALLORY)
                    .post(Entity.json("{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"" + url
                            + "\",\"description\":\"" + url + "\",\"estimatedCost\":1}}"))) {
                if (r.getStatus() != 201) {
                    return "API7 URL as data: start was " + r.getStatus();
                }
                id = r.readEntity(JsonObject.class).getString("id");
            }
            Await.until("completed", Duration.ofSeconds(30), () -> {
                try (Response r = target.path("/executions/" + id).request().header("Authorization", "Bearer " + MALLORY).get()) {
                    return r.readEntity(JsonObject.class).getString("status").equals("COMPLETED");
                }
            });
            return hits.get() == 0 ? null : "API7 the engine called a URL from the input (" + hits.get() + " requests)";
        } finally {
            server.stop(0);
        }
    }

    /** API3: responses show the documented properties, never leases, progress or internal ids. */
    private String noInternalFieldsInResponses() {
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + ALICE).get()) {
            String body = r.readEntity(String.class);
            for (String internal : new String[] {"lease", "progress", "nextRunAt", "next_run_at", "lastEventSeq", "requestHash"}) {
                if (body.contains(internal)) {
                    return "API3 a response shows '" + internal + "'";
                }
            }
        }
        return null;
    }

    /** API1: another role's inbox does not show the request; the owner's (no agent role) neither. */
    private String inboxShowsOnlyTheRole(String executionId) {
        for (String token : new String[] {CTO, ALICE, MALLORY}) {
            try (Response r = target.path("/agent-requests").request().header("Authorization", "Bearer " + token).get()) {
                if (r.readEntity(String.class).contains(executionId)) {
                    return "API1 an inbox shows a request addressed to another role";
                }
            }
        }
        return null;
    }

    /** API7/API9: no documented operation takes a URL to fetch. */
    private String openApiTakesNoUrls() {
        try (Response r = target.path("/openapi").request("application/json").get()) {
            String doc = r.readEntity(String.class).toLowerCase(java.util.Locale.ROOT);
            for (String name : new String[] {"\"name\":\"url\"", "\"name\":\"callback\"", "\"name\":\"webhook\"", "\"format\":\"uri\""}) {
                if (doc.contains(name)) {
                    return "API7 the API takes a URL (" + name + ")";
                }
            }
        }
        return null;
    }

    /** API8: a page from another origin gets no CORS permission. */
    private String disallowedOriginGetsNoCorsHeaders() {
        RawHttp.Reply reply = RawHttp.send(target.getUri(), "OPTIONS", "/executions",
                Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "POST"), null);
        return reply.status() == 403 ? null : "API8 preflight from another origin: " + reply.status();
    }
}
