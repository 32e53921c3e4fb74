package io.flowguard.api;

import java.util.UUID;

import io.flowguard.api.RawSocket.Exchange;
import io.flowguard.api.RawSocket.Reply;
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
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * What the HTTP layer refuses before any routing, over a raw socket: request smuggling shapes
 * (RFC 9112 §6.1, §6.3, §7.1, §5.2) are 400 and the connection is closed, so the bytes after them
 * are never served as a second request; and every refusal, these and the malformed request line,
 * path or oversized header, is a problem with the security headers.
 */
@HelidonTest
class HttpLayerRefusalsTest {

    private static final String OWNER = "framing-" + UUID.randomUUID();
    private static final String USER = TestTokens.token(OWNER, "flow-user");
    /** A complete request smuggled after the refused one: it must never get an answer. */
    private static final String SMUGGLED = "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n";
    private static final String START = "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"x\",\"estimatedCost\":1}}";

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    private static String start(String framingHeaders, String body) {
        return "POST /executions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + USER
                + "\r\nContent-Type: application/json\r\n" + framingHeaders + "\r\n" + body;
    }

    private static String chunked(String sizeLine) {
        return start("Transfer-Encoding: chunked\r\n", sizeLine + "\r\n" + START + "\r\n0\r\n\r\n");
    }

    /** One 400 problem with the security headers, then the server closes: the smuggled request is never answered. */
    private void assertRefusedAndClosed(String request, int status) {
        assertRefusedAndClosed(request, SMUGGLED, status);
    }

    private void assertRefusedAndClosed(String request, String after, int status) {
        RowCounts before = RowCounts.of(OWNER);
        Exchange exchange = RawSocket.exchangeAll(target.getUri(), request + after, 5_000);
        assertThat("responses to " + request.lines().findFirst().orElse(""), exchange.replies(), hasSize(1));
        assertProblem(exchange.replies().getFirst(), status);
        assertThat("the server closed the connection", exchange.closed(), is(true));
        assertThat(RowCounts.of(OWNER), is(before));
    }

    static void assertProblem(Reply r, int status) {
        assertThat(r.status(), is(status));
        assertThat(r.header("Content-Type"), is("application/problem+json"));
        assertThat(r.body(), containsString("\"type\":\"urn:flowguard:problem:bad-request\""));
        assertThat(r.body(), containsString("\"status\":" + status));
        assertThat(r.body(), not(containsString("Exception")));
        assertThat(r.header("X-Content-Type-Options"), is("nosniff"));
        assertThat(r.header("X-Frame-Options"), is("DENY"));
        assertThat(r.header("Content-Security-Policy"), is("default-src 'none'; frame-ancestors 'none'"));
        assertThat(r.header("Cache-Control"), is("no-store"));
        assertThat(r.header("Connection"), is("close"));
    }

    @Test
    void aWellFramedStartIsServedAndTheConnectionStaysOpenForTheNext() {
        String request = "POST /executions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestTokens.token("framing-ok-" + UUID.randomUUID(), "flow-user")
                + "\r\nContent-Type: application/json\r\nContent-Length: " + START.length() + "\r\n\r\n" + START;
        Exchange exchange = RawSocket.exchangeAll(target.getUri(), request + SMUGGLED, 10_000);
        assertThat(exchange.replies(), hasSize(2));
        assertThat(exchange.replies().get(0).status(), is(201));
        assertThat(exchange.replies().get(1).status(), is(200));
    }

    @Test
    void contentLengthBesideTransferEncodingIs400AndCloses() {
        assertRefusedAndClosed(start("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
                Integer.toHexString(START.length()) + "\r\n" + START + "\r\n0\r\n\r\n"), 400);
    }

    @Test
    void twoDifferentContentLengthsAre400AndClose() {
        assertRefusedAndClosed(start("Content-Length: " + START.length() + "\r\nContent-Length: 3\r\n", START), 400);
    }

    @Test
    void aContentLengthListWithTwoValuesIs400AndCloses() {
        assertRefusedAndClosed(start("Content-Length: " + START.length() + ", 3\r\n", START), 400);
    }

    @Test
    void aTransferCodingOtherThanChunkedIs400AndCloses() {
        for (String coding : new String[] {"gzip", "chunked, identity", "xchunked", "identity, chunked", "chunked, chunked"}) {
            assertRefusedAndClosed(start("Transfer-Encoding: " + coding + "\r\n",
                    Integer.toHexString(START.length()) + "\r\n" + START + "\r\n0\r\n\r\n"), 400);
        }
    }

    @Test
    void aSecondTransferEncodingLineIs400AndCloses() {
        assertRefusedAndClosed(start("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n",
                Integer.toHexString(START.length()) + "\r\n" + START + "\r\n0\r\n\r\n"), 400);
    }

    @Test
    void aChunkSizeThatIsNotHexIs400AndCloses() {
        assertRefusedAndClosed(chunked("zz"), 400);
    }

    @Test
    void aNegativeChunkSizeIs400AndCloses() {
        assertRefusedAndClosed(chunked("-" + Integer.toHexString(START.length())), 400);
    }

    @Test
    void aChunkSizeThatOverflowsIs400AndCloses() {
        assertRefusedAndClosed(chunked("1" + "0".repeat(16) + Integer.toHexString(START.length())), 400);
    }

    @Test
    void anObsFoldedHeaderLineIs400AndCloses() {
        String body = START;
        assertRefusedAndClosed(start("X-Note: first\r\n folded\r\nContent-Length: " + body.length() + "\r\n", body), 400);
    }

    @Test
    void aChunkLineEndedByLfAloneIs400AndClosesWithOrWithoutAToken() {
        // Nothing after it: with a CRLF further on, the reader takes all up to it as the size line
        // (not hex: 400 anyway); alone, it finds the LF without CR, which was a 500 without a token.
        String body = "2\n{}\n0\n\n";
        assertRefusedAndClosed(start("Transfer-Encoding: chunked\r\n", body), "", 400);
        assertRefusedAndClosed("POST /executions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + body, "", 400);
        assertRefusedAndClosed("POST /executions HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + body, "", 400);
    }

    @Test
    void aRequestTargetThatIsNotAPathIs400AndClosesWithoutAToken() {
        String origin = "http://" + target.getUri().getHost() + ":" + target.getUri().getPort();
        for (String line : new String[] {"OPTIONS *", "GET *", "GET executions", "GET ?a=1", "GET @x", "POST a:b",
                "GET " + origin}) {
            assertRefusedAndClosed(line + " HTTP/1.1\r\nHost: localhost\r\n\r\n", 400);
        }
    }

    @Test
    void aClientAskingToCloseGetsItsAnswerAndThenTheConnectionCloses() {
        Exchange exchange = RawSocket.exchangeAll(target.getUri(),
                "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" + SMUGGLED, 5_000);
        assertThat(exchange.replies(), hasSize(1));
        assertThat(exchange.replies().getFirst().status(), is(200));
        assertThat("the server closed the connection", exchange.closed(), is(true));
    }

    @Test
    void aRawBraceInThePathIsAProblemWithTheSecurityHeaders() {
        assertRefusedAndClosed("GET /executions/{id} HTTP/1.1\r\nHost: localhost\r\n\r\n", 400);
    }

    @Test
    void aSeventyKilobyteHeaderIsAProblemWithTheSecurityHeaders() {
        assertRefusedAndClosed("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(70 * 1024) + "\r\n\r\n", 400);
    }

    @Test
    void aBadRequestLineIsAProblemWithTheSecurityHeaders() {
        assertRefusedAndClosed("GET /he alth HTTP/1.1\r\nHost: localhost\r\n\r\n", 400);
        assertRefusedAndClosed("GET /health HTTP/1.1\r\nHost: localhost\r\nX: y\r\n".replace("X: y\r\n", "")
                .replace("GET", "G\u0001T") + "\r\n", 400);
    }

    @Test
    void aBadRequestLineAfterAGoodRequestIsAProblemAndCloses() {
        Exchange exchange = RawSocket.exchangeAll(target.getUri(),
                "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\nBLAH\r\n\r\n" + SMUGGLED, 5_000);
        assertThat(exchange.replies(), hasSize(2));
        assertThat(exchange.replies().get(0).status(), is(200));
        assertProblem(exchange.replies().get(1), 400);
        assertThat(exchange.closed(), is(true));
    }

    @Test
    void aFirstLineThatIsNotHttp11IsClosedWithoutAnAnswer() {
        // Helidon picks the protocol from the first line; with none that fits it writes nothing at all.
        Exchange exchange = RawSocket.exchangeAll(target.getUri(), "BLAH\r\n\r\n" + SMUGGLED, 5_000);
        assertThat(exchange.replies(), hasSize(0));
        assertThat(exchange.closed(), is(true));
    }

    /** A request line of exactly {@code bytes} bytes (before its CRLF) asking for {@code /health/live}. */
    private static String requestLine(int bytes) {
        String fixed = "GET /health/live?p=" + " HTTP/1.1";
        return "GET /health/live?p=" + "a".repeat(bytes - fixed.length()) + " HTTP/1.1";
    }

    @Test
    void theRequestLineHoldsTo4095BytesBeforeItsCrlf() {
        // Helidon's max-prologue-length (4096) counts the line's CR: 4,095 bytes pass, 4,096 are a 414
        for (int bytes : new int[] {4_094, 4_095}) {
            Reply r = RawSocket.send(target.getUri(), requestLine(bytes) + "\r\nHost: localhost\r\n", null);
            assertThat(bytes + " bytes", r.status(), is(200));
        }
        assertProblem(RawSocket.send(target.getUri(), requestLine(4_096) + "\r\nHost: localhost\r\n", null), 414);
    }

    @Test
    void theHeaderLinesHoldTo16KibWithTheirCrlfs() {
        // Host (17 bytes with CRLF), X-Pad, and the Connection: close RawSocket adds (19): the
        // header lines in all, each with its CRLF, the empty line after them not counted
        String host = "Host: localhost\r\n";
        int fixed = host.length() + "X-Pad: \r\n".length() + "Connection: close\r\n".length();
        for (int bytes : new int[] {16_383, 16_384}) {
            Reply r = RawSocket.send(target.getUri(), "GET /health/live HTTP/1.1\r\n" + host + "X-Pad: "
                    + "a".repeat(bytes - fixed) + "\r\n", null);
            assertThat(bytes + " bytes of header lines", r.status(), is(200));
        }
        assertProblem(RawSocket.send(target.getUri(), "GET /health/live HTTP/1.1\r\n" + host + "X-Pad: "
                + "a".repeat(16_385 - fixed) + "\r\n", null), 400);
    }
}
