package io.flowguard.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.flowguard.engine.Engine;
import io.flowguard.engine.EngineException;
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
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Bodies over their endpoint's limit are 413 before anything is parsed, whether sized or chunked;
 * each limit holds to the byte (the limit itself passes, one byte more does not), and so does the
 * engine's own cap on an answer.
 */
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
    @Inject
    Engine engine;

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

    /**
     * A declared size over the limit is refused from the head alone: the server does not wait for
     * (nor read) a body it would refuse. The body never comes, so a server that waited would not
     * answer before the socket's read timeout.
     */
    @Test
    void aDeclaredSizeOverTheLimitIs413BeforeAnyBodyByte() throws Exception {
        RowCounts before = RowCounts.of(OWNER);
        String path = "/executions/" + UUID.randomUUID() + "/cancel";
        try (java.net.Socket socket = RawSocket.open(target.getUri(), "POST " + path + " HTTP/1.1\r\n"
                + "Host: localhost\r\nAuthorization: Bearer " + USER + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 4097\r\n\r\n")) {
            socket.setSoTimeout(20_000);
            RawSocket.Reply reply = RawSocket.read(socket.getInputStream());
            assertThat(reply.status(), is(413));
            assertThat(reply.body(), containsString("urn:flowguard:problem:payload-too-large"));
        }
        assertThat(RowCounts.of(OWNER), is(before));
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

    /** @return {@code json} (an object) padded with spaces before its closing brace to exactly {@code bytes} bytes */
    private static String ofBytes(String json, int bytes) {
        return json.substring(0, json.length() - 1) + " ".repeat(bytes - json.length()) + "}";
    }

    /**
     * One endpoint's body limit.
     *
     * @param passed the status a body within the limit gets here (it passed the size check and
     *               met the next refusal: an unknown flow, an unknown id)
     */
    private record Limit(String name, String path, String token, String json, int bytes, int passed) {
    }

    @Test
    void everyBodyLimitHoldsToTheByteSizedOrChunked() {
        RowCounts before = RowCounts.of(OWNER);
        List<Limit> limits = List.of(
                // the state cap (flowguard.state.max-bytes, 1 MiB) plus 16 KiB
                new Limit("start", "/executions", USER, "{\"flow\":\"no-such-flow\",\"input\":{}}",
                        1_048_576 + 16_384, 422),
                new Limit("answer", "/agent-requests/" + UUID.randomUUID() + "/answer", CEO, "{\"approved\":true}",
                        65_536, 404),
                new Limit("cancel (the default limit)", "/executions/" + UUID.randomUUID() + "/cancel", USER,
                        "{\"reason\":\"r\"}", 4_096, 404));
        List<String> wrong = new ArrayList<>();
        for (Limit limit : limits) {
            for (boolean chunked : new boolean[] {false, true}) {
                String how = limit.name() + (chunked ? ", chunked" : ", sized") + ": ";
                for (int bytes : new int[] {limit.bytes() - 1, limit.bytes()}) {
                    HttpResponse<String> r = post(limit.path(), limit.token(), ofBytes(limit.json(), bytes), chunked);
                    if (r.statusCode() != limit.passed()) {
                        wrong.add(how + bytes + " bytes got " + r.statusCode() + " " + r.body());
                    }
                }
                HttpResponse<String> over = post(limit.path(), limit.token(), ofBytes(limit.json(), limit.bytes() + 1), chunked);
                if (over.statusCode() != 413 || !over.body().contains("urn:flowguard:problem:payload-too-large")) {
                    wrong.add(how + (limit.bytes() + 1) + " bytes got " + over.statusCode() + " " + over.body());
                }
            }
        }
        assertThat(String.join("\n", wrong), wrong.isEmpty(), is(true));
        assertThat(RowCounts.of(OWNER), is(before));
    }

    @Test
    void theEngineTakesAnAnswerOf64KibAndNotAByteMore() {
        // in process: over HTTP the 64 KiB body limit refuses a longer answer first
        UUID nowhere = UUID.randomUUID();
        EngineException over = assertThrows(EngineException.class,
                () -> engine.answer(nowhere, Set.of("ceo"), "limits-ceo", ofBytes("{\"approved\":true}", 65_537)));
        assertThat(over.getMessage(), over.problem(), is(EngineException.Problem.INVALID_INPUT));
        EngineException at = assertThrows(EngineException.class,
                () -> engine.answer(nowhere, Set.of("ceo"), "limits-ceo", ofBytes("{\"approved\":true}", 65_536)));
        assertThat("64 KiB passes the size check, then the request is not found", at.problem(),
                is(EngineException.Problem.NOT_FOUND));
    }
}
