package io.flowguard.edge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.flowguard.security.DevKeys;
import io.flowguard.security.DevTokens;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Security headers on every kind of response, CORS for the whitelist only, request ids. */
@HelidonTest
class EdgeTest {

    private static final String APP = "https://app.example.com";
    private static final java.nio.file.Path KEY_DIR = tempDir();
    private static final DevKeys KEYS = DevKeys.loadOrCreate(KEY_DIR);
    private static final String TOKEN = DevTokens.mint(KEYS, "flowguard-test", "flowguard", "edge-user",
            List.of("flow-user"), Duration.ofMinutes(5));
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static java.nio.file.Path tempDir() {
        try {
            return java.nio.file.Files.createTempDirectory("flowguard-edge");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>();
        values.put("mp.jwt.verify.publickey.location", DevKeys.publicKeyFile(KEY_DIR).toString());
        values.put("cors.allowed-origins", APP + ",http://localhost:3000");
        values.put("flowguard.http.hsts", "max-age=31536000; includeSubDomains");
        return new MapConfigSource("edge", values);
    }

    @Inject
    WebTarget target;

    private HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.getUri().toString().replaceAll("/$", "") + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> auth() {
        return Map.of("Authorization", "Bearer " + TOKEN);
    }

    @Test
    void everyResponseCarriesTheSecurityHeadersAndNoServerBanner() {
        Map<String, HttpResponse<String>> responses = new java.util.LinkedHashMap<>();
        responses.put("200 API", send("GET", "/flows", auth(), null));
        responses.put("401", send("GET", "/flows", Map.of(), null));
        responses.put("403", send("GET", "/executions/00000000-0000-0000-0000-000000000000", Map.of("Authorization",
                "Bearer " + DevTokens.mint(KEYS, "flowguard-test", "flowguard", "x", List.of("none"), Duration.ofMinutes(1))), null));
        responses.put("404 API", send("GET", "/executions/00000000-0000-0000-0000-000000000000", auth(), null));
        responses.put("404 routing", send("GET", "/no/such/path", Map.of(), null));
        responses.put("405", send("DELETE", "/flows", auth(), null));
        responses.put("415", send("POST", "/executions", Map.of("Authorization", "Bearer " + TOKEN,
                "Content-Type", "text/plain"), "x"));
        responses.put("400", send("POST", "/executions", Map.of("Authorization", "Bearer " + TOKEN,
                "Content-Type", "application/json"), "{"));
        responses.put("health", send("GET", "/health/ready", Map.of(), null));
        responses.put("openapi", send("GET", "/openapi", Map.of(), null));
        responses.put("preflight", send("OPTIONS", "/executions", Map.of("Origin", APP,
                "Access-Control-Request-Method", "POST"), null));
        List<String> wrong = new ArrayList<>();
        responses.forEach((name, r) -> {
            HttpHeaders h = r.headers();
            check(wrong, name, h, "X-Content-Type-Options", "nosniff");
            check(wrong, name, h, "X-Frame-Options", "DENY");
            check(wrong, name, h, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
            check(wrong, name, h, "Referrer-Policy", "no-referrer");
            check(wrong, name, h, "Cache-Control", "no-store");
            check(wrong, name, h, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
            if (h.firstValue("Server").isPresent() || h.firstValue("X-Powered-By").isPresent()) {
                wrong.add(name + ": a server banner");
            }
            if (h.firstValue("X-Request-Id").isEmpty()) {
                wrong.add(name + ": no X-Request-Id");
            }
        });
        assertThat(String.join("\n", wrong), wrong.isEmpty(), is(true));
        assertThat(responses.get("404 routing").statusCode(), is(404));
        assertThat(responses.get("health").statusCode(), is(200));
    }

    private static void check(List<String> wrong, String name, HttpHeaders headers, String header, String value) {
        String actual = headers.firstValue(header).orElse(null);
        if (!value.equals(actual)) {
            wrong.add(name + ": " + header + " = " + actual);
        }
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnswered() {
        HttpResponse<String> r = send("OPTIONS", "/executions", Map.of("Origin", APP,
                "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization, content-type, idempotency-key"), null);
        assertThat(r.statusCode(), is(204));
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin").orElse(null), is(APP));
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods").orElse(null), is("GET, POST, PUT, DELETE, OPTIONS"));
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElse(null),
                is("Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match, Last-Event-ID, Prefer"));
        assertThat(r.headers().firstValue("Vary").orElse(null), is("Origin"));
        assertThat("never credentials", r.headers().firstValue("Access-Control-Allow-Credentials").isPresent(), is(false));
    }

    @Test
    void anyOtherOriginGetsNoCorsHeaderAtAll() {
        for (String origin : new String[] {"https://evil.example", "null", "https://app.example.com.evil.net",
                "http://app.example.com", "https://APP.example.com"}) {
            HttpResponse<String> preflight = send("OPTIONS", "/executions", Map.of("Origin", origin,
                    "Access-Control-Request-Method", "POST"), null);
            assertThat(origin, preflight.statusCode(), is(403));
            assertNoCors(origin, preflight.headers());
            Map<String, String> headers = new HashMap<>(auth());
            headers.put("Origin", origin);
            HttpResponse<String> actual = send("GET", "/flows", headers, null);
            assertThat(origin, actual.statusCode(), is(200));
            assertNoCors(origin, actual.headers());
        }
        Map<String, String> headers = new HashMap<>(auth());
        headers.put("Origin", APP);
        HttpHeaders allowed = send("GET", "/flows", headers, null).headers();
        assertThat(allowed.firstValue("Access-Control-Allow-Origin").orElse(null), is(APP));
        assertThat("a browser app reads the headers the API's contract uses",
                allowed.firstValue("Access-Control-Expose-Headers").orElse(null),
                is("ETag, Location, Idempotency-Replayed, Preference-Applied, Retry-After"));
    }

    private static void assertNoCors(String origin, HttpHeaders headers) {
        headers.map().keySet().forEach(name -> assertThat(origin + " got " + name,
                name.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-"), is(false)));
    }

    @Test
    void aWellFormedRequestIdIsEchoedAndAnythingElseReplaced() {
        assertThat(send("GET", "/health/live", Map.of("X-Request-Id", "trace-42"), null).headers()
                .firstValue("X-Request-Id").orElse(null), is("trace-42"));
        String replaced = send("GET", "/health/live", Map.of("X-Request-Id", "bad id\" <script>"), null).headers()
                .firstValue("X-Request-Id").orElse("");
        assertThat(replaced.matches("[0-9a-f-]{36}"), is(true));
    }
}
