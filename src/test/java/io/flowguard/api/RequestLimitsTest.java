package io.flowguard.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.RowCounts;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Bodies over their endpoint's limit are 413 before anything is parsed, whether sized or chunked. */
@HelidonTest
class RequestLimitsTest {

    private static final String OWNER = "limits-" + UUID.randomUUID();
    private static final String USER = TestTokens.token(OWNER, "flow-user");
    private static final String CEO = TestTokens.token("limits-ceo", "agent:ceo");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    private HttpResponse<String> post(String path, String token, String body, boolean chunked) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
                : HttpRequest.BodyPublishers.ofByteArray(bytes);
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.getUri().toString().replaceAll("/$", "") + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(publisher).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String startWithDescription(int chars) {
        return "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"x\",\"estimatedCost\":1,\"description\":\""
                + "d".repeat(chars) + "\"}}";
    }

    private void assertTooLarge(HttpResponse<String> r) {
        assertThat(r.statusCode(), is(413));
        assertThat(r.headers().firstValue("Content-Type").orElse(""), is("application/problem+json"));
        assertThat(r.body(), containsString("urn:flowguard:problem:payload-too-large"));
    }

    @Test
    void aStartBodyOverTheStateCapPlusItsMarginIs413SizedOrChunked() {
        RowCounts before = RowCounts.of(OWNER);
        String body = startWithDescription(1_048_576 + 16_384);
        assertTooLarge(post("/executions", USER, body, false));
        assertTooLarge(post("/executions", USER, body, true));
        assertThat(RowCounts.of(OWNER), is(before));
    }

    @Test
    void anAnswerOver64KbIs413SizedOrChunked() {
        String body = "{\"approved\":true,\"comment\":\"" + "c".repeat(65_536) + "\"}";
        String path = "/agent-requests/" + UUID.randomUUID() + "/answer";
        assertTooLarge(post(path, CEO, body, false));
        assertTooLarge(post(path, CEO, body, true));
    }

    @Test
    void endpointsThatTakeLittleTakeLittle() {
        String path = "/executions/" + UUID.randomUUID() + "/cancel";
        assertTooLarge(post(path, USER, "{\"reason\":\"" + "r".repeat(5000) + "\"}", true));
    }

    @Test
    void aStringOverTheInputStringLimitIs400() {
        RowCounts before = RowCounts.of(OWNER);
        HttpResponse<String> r = post("/executions", USER, startWithDescription(262_145), false);
        assertThat(r.statusCode(), is(400));
        assertThat(r.body(), containsString("string length"));
        assertThat(RowCounts.of(OWNER), is(before));
    }
}
