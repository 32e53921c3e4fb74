package io.flowguard.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.flowguard.logging.JsonLogFormatter;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * A property of the whole service: whatever a caller puts into a request (path, query, headers,
 * body, the subject of a valid token), every line the service logs is one JSON object on one
 * line, and no secret-shaped value the request carried ({@code password=}, {@code token=},
 * {@code secret:}, {@code Authorization: Bearer}, a JWT) shows in any line.
 *
 * <p>The hostile strings are a fixed list of known-bad cases (the issue's
 * {@code password=a%5C%22x}, quotes, backslashes, every control character, line and paragraph
 * separators, lone surrogates, invalid percent-encodings, very long unicode) and strings a seeded
 * random generator builds from the same pieces (seed {@code -Dflowguard.test.seed=N}, printed
 * with every failure). They go over raw sockets to the running server, unauthenticated and with
 * valid tokens, so no client library cleans them on the way. Every record the service logs
 * meanwhile is formatted by the service's own formatter, as its console handler would write it
 * (UTF-8), and parsed strictly.
 */
@HelidonTest
class LogInjectionTest {

    private static final long SEED = Long.getLong("flowguard.test.seed", 1611L);
    private static final int RANDOM_STRINGS = Integer.getInteger("flowguard.test.log-injection.strings", 120);
    /** Every secret a request carries has this shape, so a leak is found by one scan of each line. */
    private static final Pattern SECRET = Pattern.compile("S3cr[0-9a-f]{12}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The nasty cases every run sends, besides the random ones. */
    static final List<String> NASTY = List.of(
            "password=a\\\"x", "password=a%5C%22x", "\"", "\\", "\\\"", "a\\\"x", "\\\\\"", "%5C%22", "\"}",
            "\"},\"audit\":{\"event\":\"forged\"", "\n{\"level\":\"SEVERE\",\"message\":\"forged\"}",
            "\r\n", "\r", "\n", "\r\nX-Injected: 1", "%0d%0aX-Injected:%201", "%0A", "%0D",
            controls(), "\u0000", "%00", "\u007f", "\u0085", "\u2028", "\u2029", "%E2%80%A8", "%C2%85",
            "\ud800", "\udc00", "x\ud800y", "\ude00\ud83d", "\ud83d\ude00", "%ED%A0%80", "%C3", "%FF%FE", "%C0%AF",
            "%", "%zz", "%G1", "%%", "%5", "%u2028",
            "password=", "password=\"", "token=", "token: ", "secret=", "secret:'", "Authorization: Bearer ",
            "Bearer ", "not a bearer token", "eyJ", "eyJ.eyJ.", "[redacted]",
            "{", "}", "{0}", "{1}", "'", "''", "${jndi:ldap://x/a}", "<script>", "&", ";", ",", "=",
            "é".repeat(3000), "中".repeat(3000), "\ud83d\ude00".repeat(1500), "a".repeat(70_000));

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Set<String> secretsSent = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> statuses = new TreeMap<>();
    private final Map<String, Integer> byVector = new TreeMap<>();
    private int vector;
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                lines.add(getFormatter().format(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @AddConfigSource
    static ConfigSource config() {
        return new MapConfigSource("log-injection", TestTokens.config());
    }

    @Inject
    WebTarget target;

    private SplittableRandom random;
    private String userToken;

    @BeforeEach
    void listen() {
        capture.setFormatter(new JsonLogFormatter());
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
        random = new SplittableRandom(SEED);
        userToken = TestTokens.token("log-injection", "flow-user");
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void everyLineLoggedForHostileRequestsIsOneJsonObjectWithoutTheSecretsTheyCarried() throws Exception {
        List<String> hostile = new ArrayList<>(NASTY);
        for (int i = 0; i < RANDOM_STRINGS; i++) {
            hostile.add(randomHostile());
        }
        for (String h : hostile) {
            sendEveryWay(h);
        }

        List<String> failures = new ArrayList<>();
        for (String line : lines) {
            String problem = problemWith(line);
            if (problem != null) {
                failures.add(problem + ": " + abbreviated(line));
            }
        }
        System.out.println("log injection (seed " + SEED + "): " + hostile.size() + " hostile strings, "
                + statuses.values().stream().mapToInt(Integer::intValue).sum() + " requests " + statuses + ", "
                + lines.size() + " lines logged, " + failures.size() + " bad " + byVector);
        assertThat("lines were captured", lines.size(), greaterThan(hostile.size()));
        assertThat("seed " + SEED + ", " + failures.size() + " bad lines:\n" + String.join("\n",
                failures.subList(0, Math.min(failures.size(), 20))), failures, is(empty()));
    }

    @Test
    void aRefusedBasicCredentialIsAuditedAsNotABearerTokenWithoutTheCredential() throws Exception {
        String credential = Base64.getEncoder().encodeToString(("alice:" + secret()).getBytes(StandardCharsets.UTF_8));
        send("GET", "/executions", Map.of("Authorization", "Basic " + credential, "X-Request-Id", "basic-refused"),
                null);
        List<JsonNode> audit = new ArrayList<>();
        for (String line : lines) {
            JsonNode parsed = JSON.readTree(line);
            if (parsed.path("request_id").asText().equals("basic-refused") && parsed.has("audit")) {
                audit.add(parsed.get("audit"));
            }
            assertThat(line, line.contains(credential), is(false));
        }
        assertThat(lines.toString(), audit.isEmpty(), is(false));
        assertThat(audit.get(0).path("reason").asText(), is("not a bearer token"));
    }

    /** @return what is wrong with the line as the console handler would write it, or null when nothing */
    private String problemWith(String line) {
        int end = line.indexOf('\n');
        if (end != line.length() - 1) {
            return "not exactly one line";
        }
        for (char c : new char[] {'\r', '\u0085', '\u2028', '\u2029'}) {
            if (line.indexOf(c) >= 0) {
                return "a raw line break U+" + HexFormat.of().toHexDigits(c);
            }
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")";
        }
        if (parsed == null || !parsed.isObject()) {
            return "not a JSON object";
        }
        if ("flowguard.audit".equals(parsed.path("logger").asText()) && !parsed.path("audit").isObject()) {
            return "an audit line without its audit object";
        }
        Matcher secret = SECRET.matcher(line);
        while (secret.find()) {
            if (secretsSent.contains(secret.group())) {
                return "secret " + secret.group() + " shows";
            }
        }
        return null;
    }

    /** Sends the hostile string in every place a caller controls, each request with fresh secrets. */
    private void sendEveryWay(String h) throws IOException {
        String bearer = "Bearer " + userToken;
        vector = 0;
        // paths, unauthenticated (audited with the path) and authenticated
        send("GET", "/executions/" + strict(h + " password=" + secret()), Map.of(), null);
        send("GET", "/executions/" + loose(h) + "token=" + secret() + "%20" + jwt(), Map.of(), null);
        send("GET", "/executions/" + loose(h) + "secret:" + secret(), Map.of("Authorization", bearer), null);
        send("DELETE", "/executions/" + strict(h) + "?password=" + secret(), Map.of(), null);
        // query strings
        send("GET", "/executions?limit=" + loose(h) + "&token=" + secret() + "&status=" + strict(h),
                Map.of("Authorization", bearer), null);
        // headers, unauthenticated
        send("GET", "/executions", Map.of("X-Request-Id", h, "User-Agent", h + " password=" + secret(),
                "Origin", h, "Authorization", h + " Bearer " + secret()), null);
        send("GET", "/executions", Map.of("X-Request-Id", "token:" + secret(), "Authorization", "Bearer " + jwt(),
                "Referer", h), null);
        send("OPTIONS", "/executions/" + strict(h + "password=" + secret()), Map.of("Origin", h + "token=" + secret(),
                "Access-Control-Request-Method", "POST", "X-Request-Id", jwt()), null);
        // headers and bodies, authenticated
        send("POST", "/executions", Map.of("Authorization", bearer, "Content-Type", "application/json",
                "Idempotency-Key", h, "User-Agent", h), json(Map.of("flow", h + " password=" + secret(),
                "input", Map.of("key", h, "token", secret()))));
        send("POST", "/executions", Map.of("Authorization", bearer, "Content-Type", "application/json"),
                ("{\"flow\":\"" + h + " secret=" + secret() + "\"}").getBytes(StandardCharsets.UTF_8));
        send("POST", "/executions", Map.of("Authorization", bearer, "Content-Type", "application/json"),
                json(Map.of("flow", "test-always-fails", "input", Map.of("key", h + " token=" + secret()))));
        // a valid token whose subject is the hostile string (with a secret in it)
        String subject = h.length() > 200 ? h.substring(0, 200) : h;
        String hostileSubject = TestTokens.token(subject + " password=" + secret(), "flow-user", "agent:" + subject);
        send("GET", "/agent-requests", Map.of("Authorization", "Bearer " + hostileSubject), null);
        send("POST", "/executions", Map.of("Authorization", "Bearer " + hostileSubject,
                "Content-Type", "application/json"), json(Map.of("flow", "no-such-flow", "input", Map.of("key", subject))));
        send("GET", "/executions", Map.of("Authorization", "Bearer " + TestTokens.token(subject + " token=" + secret(),
                "nobody")), null);
    }

    /** @return a fresh secret, remembered so the lines can be searched for it */
    private String secret() {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        String secret = "S3cr" + HexFormat.of().formatHex(bytes);
        secretsSent.add(secret);
        return secret;
    }

    /** @return a JWT-shaped string whose signature is a fresh secret */
    private String jwt() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return "eyJhbGciOiJSUzI1NiJ9." + b64.encodeToString("{\"sub\":\"x\"}".getBytes(StandardCharsets.UTF_8))
                + "." + secret();
    }

    private static byte[] json(Object value) throws IOException {
        return JSON.writeValueAsBytes(value);
    }

    /** Sends one request over its own connection and waits for the server's answer (or close). */
    private void send(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        URI base = this.target.getUri();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        headers.forEach((name, value) -> request.writeBytes((name + ": " + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8)));
        if (body != null) {
            request.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        request.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            request.writeBytes(body);
        }
        String status;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            try {
                out.write(request.toByteArray());
                out.flush();
            } catch (IOException e) {
                // the server may refuse a head before it is all written and close; its answer is still there
            }
            status = statusOf(in, method + " " + abbreviated(target));
        }
        statuses.merge(status, 1, Integer::sum);
        byVector.merge("v" + (vector++) + ":" + status, 1, Integer::sum);
    }

    /**
     * Reads the answer's head and body by their framing (the server may keep the connection
     * open after {@code Connection: close}).
     *
     * @return the status code, or "none" when the server closed without an answer
     */
    private static String statusOf(InputStream in, String request) {
        try {
            RawSocket.Reply reply = RawSocket.read(in);
            return reply == null ? "none" : Integer.toString(reply.status());
        } catch (SocketTimeoutException e) {
            System.out.println("no answer within 10 s to " + request);
            return "timeout";
        } catch (IOException e) {
            return "reset"; // the server refused the head before it was all written
        }
    }

    /** @return the string percent-encoded as UTF-8, every byte but the unreserved ones */
    private static String strict(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            }
        }
        return out.toString();
    }

    /**
     * @return the string as it would be typed into a request line: printable ASCII raw (quotes,
     *         backslashes, braces and bad percent-encodings included), only what would end the
     *         request line (space, controls, non-ASCII) percent-encoded
     */
    private static String loose(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '#') {
                out.append((char) c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            }
        }
        return out.toString();
    }

    /** @return a string of nasty pieces: fixed cases, random characters of every kind, percent signs, secret names */
    private String randomHostile() {
        StringBuilder out = new StringBuilder();
        int pieces = 1 + random.nextInt(8);
        for (int i = 0; i < pieces; i++) {
            switch (random.nextInt(8)) {
                case 0 -> {
                    String nasty = NASTY.get(random.nextInt(NASTY.size()));
                    out.append(nasty.length() > 100 ? nasty.substring(0, 100) : nasty);
                }
                case 1 -> out.append((char) random.nextInt(0x20)); // C0 controls
                case 2 -> out.append((char) (0xd800 + random.nextInt(0x800))); // a surrogate, likely unpaired
                case 3 -> out.appendCodePoint(random.nextInt(Character.MAX_CODE_POINT + 1));
                case 4 -> out.append('%').append(Integer.toHexString(random.nextInt(0x100))).append((char) (0x20 + random.nextInt(0x5f)));
                case 5 -> out.append(List.of("password=", "token=", "secret:", "Bearer ", "\\\"", "\"", "\\", "\r\n")
                        .get(random.nextInt(8)));
                case 6 -> {
                    for (int n = random.nextInt(40); n > 0; n--) {
                        out.append((char) (0x20 + random.nextInt(0x5f))); // printable ASCII
                    }
                }
                default -> {
                    int length = random.nextInt(20) == 0 ? 2000 + random.nextInt(3000) : random.nextInt(30);
                    for (int n = 0; n < length; n++) {
                        out.append((char) (0xa0 + random.nextInt(0xd800 - 0xa0))); // BMP text
                    }
                }
            }
        }
        return out.toString();
    }

    private static String controls() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
        }
        return all.toString();
    }

    private static String abbreviated(String line) {
        return line.length() <= 400 ? line : line.substring(0, 400) + "...";
    }
}
