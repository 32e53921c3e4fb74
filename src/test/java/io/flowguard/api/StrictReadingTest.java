package io.flowguard.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.flowguard.api.HostileRequests.Case;
import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.RowCounts;
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
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * Requests are read strictly, as the README promises (issue 16, point 7): a scalar is never
 * coerced into a string, text is well-formed Unicode the database can store (no invalid UTF-8
 * bytes, no unpaired surrogate escapes, no U+0000), a body is declared {@code application/json},
 * and a query parameter is given once. Each refusal is a problem that changes nothing; well-formed requests still pass.
 */
@HelidonTest
class StrictReadingTest {

    private static final String OWNER = "strict-" + UUID.randomUUID();
    private static final String USER = TestTokens.token(OWNER, "flow-user");
    private static final String CEO_SUBJECT = "strict-ceo-" + UUID.randomUUID();
    private static final String CEO = TestTokens.token(CEO_SUBJECT, "agent:ceo");
    /** Starts what is meant to run, so the watched owners have nothing moving but the target. */
    private static final String RUNNER_SUBJECT = "strict-runner-" + UUID.randomUUID();
    private static final String RUNNER = TestTokens.token(RUNNER_SUBJECT, "flow-user");
    private static final String[] WATCHED = {OWNER, CEO_SUBJECT};

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    /** An execution of OWNER waiting for the CEO, and its request: what cancels and answers aim at. */
    private record Waiting(String execution, String request) {
    }

    private Waiting waiting() {
        String id;
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + USER)
                .post(Entity.json(start("\"featureName\":\"s\",\"estimatedCost\":5000000")))) {
            assertThat(r.getStatus(), is(201));
            id = r.readEntity(JsonObject.class).getString("id");
        }
        String[] request = new String[1];
        Await.until("the CEO is asked", Duration.ofSeconds(30), () -> {
            try (Response r = target.path("/agent-requests").queryParam("execution", id).request()
                    .header("Authorization", "Bearer " + CEO).get()) {
                r.readEntity(JsonArray.class).getValuesAs(JsonObject.class).stream().findFirst()
                        .ifPresent(o -> request[0] = o.getString("id"));
            }
            return request[0] != null;
        });
        Await.until("the execution is parked", Duration.ofSeconds(30),
                () -> read(USER, id).getString("status").equals("WAITING_AGENT"));
        return new Waiting(id, request[0]);
    }

    private static String start(String input) {
        return "{\"flow\":\"feature-approval\",\"input\":{" + input + "}}";
    }

    private JsonObject read(String token, String id) {
        try (Response r = target.path("/executions/" + id).request().header("Authorization", "Bearer " + token).get()) {
            return r.readEntity(JsonObject.class);
        }
    }

    @Test
    void aScalarIsNeverCoercedIntoAStringOrANumber() {
        Waiting w = waiting();
        String cancel = "/executions/" + w.execution() + "/cancel";
        String answer = "/agent-requests/" + w.request() + "/answer";
        List<Case> cases = new ArrayList<>();
        cases.add(of("start: a boolean for a string", "POST", "/executions", USER,
                start("\"featureName\":true,\"estimatedCost\":1"), 400, "invalid-input"));
        cases.add(of("start: a fraction for a string", "POST", "/executions", USER,
                start("\"featureName\":1.5,\"estimatedCost\":1"), 400, "invalid-input"));
        cases.add(of("start: a whole number for a string", "POST", "/executions", USER,
                start("\"featureName\":12,\"estimatedCost\":1"), 400, "invalid-input"));
        cases.add(of("start: a boolean for an optional string", "POST", "/executions", USER,
                start("\"featureName\":\"x\",\"description\":false,\"estimatedCost\":1"), 400, "invalid-input"));
        cases.add(of("start: a string for a number", "POST", "/executions", USER,
                start("\"featureName\":\"x\",\"estimatedCost\":\"5\""), 400, "invalid-input"));
        cases.add(of("start: a string for an optional number", "POST", "/executions", USER,
                start("\"featureName\":\"x\",\"estimatedCost\":1,\"complexity\":\"3\""), 400, "invalid-input"));
        cases.add(of("start: a boolean for a number", "POST", "/executions", USER,
                start("\"featureName\":\"x\",\"estimatedCost\":true"), 400, "invalid-input"));
        cases.add(of("cancel: a boolean for the reason", "POST", cancel, USER, "{\"reason\":true}", 400, "invalid-input"));
        cases.add(of("cancel: a fraction for the reason", "POST", cancel, USER, "{\"reason\":0.5}", 400, "invalid-input"));
        cases.add(of("answer: a boolean for the comment", "POST", answer, CEO,
                "{\"approved\":true,\"comment\":true}", 400, "invalid-input"));
        cases.add(of("answer: a fraction for the comment", "POST", answer, CEO,
                "{\"approved\":true,\"comment\":2.5}", 400, "invalid-input"));
        cases.add(of("answer: a string for the decision", "POST", answer, CEO,
                "{\"approved\":\"true\"}", 400, "invalid-input"));
        HostileRequests.run("coercions", target.getUri(), cases, WATCHED);
    }

    @Test
    void textTheDatabaseCannotStoreIsRefusedWhileSurrogatePairsPass() {
        Waiting w = waiting();
        String cancel = "/executions/" + w.execution() + "/cancel";
        String answer = "/agent-requests/" + w.request() + "/answer";
        List<Case> cases = new ArrayList<>();
        for (String lone : new String[] {"\\ud800", "\\udc00", "\\udc00\\ud800", "x\\ud800y", "\\ud83d"}) {
            cases.add(of("start: " + lone + " in a string", "POST", "/executions", USER,
                    start("\"featureName\":\"" + lone + "\",\"estimatedCost\":1"), 400, "invalid-input"));
        }
        cases.add(of("start: a lone surrogate in a field name", "POST", "/executions", USER,
                start("\"featureName\":\"x\",\"estimatedCost\":1,\"\\ud800\":1"), 400, "invalid-input"));
        cases.add(of("start: a lone surrogate in the idempotent start", "POST", "/executions", USER,
                start("\"featureName\":\"\\ud800\",\"estimatedCost\":1"), 400, "invalid-input")
                .withHeader("Idempotency-Key", "strict-" + UUID.randomUUID()));
        cases.add(of("cancel: a lone surrogate in the reason", "POST", cancel, USER,
                "{\"reason\":\"\\udfff\"}", 400, "invalid-input"));
        cases.add(of("answer: a lone surrogate in the comment", "POST", answer, CEO,
                "{\"approved\":true,\"comment\":\"ok \\ud800\"}", 400, "invalid-input"));
        // PostgreSQL text holds no U+0000: a cancel reason with one was a 500 there
        cases.add(of("cancel: a NUL character in the reason", "POST", cancel, USER,
                "{\"reason\":\"a\\u0000b\"}", 400, "invalid-input"));
        cases.add(of("start: a NUL character", "POST", "/executions", USER,
                start("\"featureName\":\"a\\u0000b\",\"estimatedCost\":1"), 400, "invalid-input"));
        cases.add(of("answer: a NUL character in the comment", "POST", answer, CEO,
                "{\"approved\":true,\"comment\":\"\\u0000\"}", 400, "invalid-input"));
        HostileRequests.run("unstorable text", target.getUri(), cases, WATCHED);

        String id;
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + RUNNER)
                .post(Entity.json(start("\"featureName\":\"smile \\ud83d\\ude00\",\"estimatedCost\":1")))) {
            assertThat("a surrogate pair is a character like any other", r.getStatus(), is(201));
            id = r.readEntity(JsonObject.class).getString("id");
        }
        assertThat(read(RUNNER, id).getJsonObject("state").getString("featureName"), is("smile \uD83D\uDE00"));
    }

    @Test
    void aBodyThatIsNotDeclaredJsonIsUnsupported() {
        Waiting w = waiting();
        String cancel = "/executions/" + w.execution() + "/cancel";
        String answer = "/agent-requests/" + w.request() + "/answer";
        String body = start("\"featureName\":\"x\",\"estimatedCost\":1");
        List<Case> cases = new ArrayList<>();
        for (String type : new String[] {null, "*/*", "application/*", "application/json; charset=iso-8859-1",
                "application/json; charset=utf-16", "application/json; profile=x"}) {
            String shown = type == null ? "no Content-Type" : type;
            cases.add(of("start: " + shown, "POST", "/executions", USER, body, 415, "unsupported-media-type")
                    .withContentType(type));
            cases.add(of("cancel: " + shown, "POST", cancel, USER, "{\"reason\":\"r\"}", 415, "unsupported-media-type")
                    .withContentType(type));
            cases.add(of("answer: " + shown, "POST", answer, CEO, "{\"approved\":true}", 415, "unsupported-media-type")
                    .withContentType(type));
        }
        cases.add(of("start: a Content-Type that is no media type", "POST", "/executions", USER, body, 400,
                "bad-request").withContentType("json"));
        HostileRequests.run("media types", target.getUri(), cases, WATCHED);

        RawHttp.Reply utf8 = RawHttp.send(target.getUri(), "POST", "/executions", Map.of("Authorization",
                "Bearer " + RUNNER, "Content-Type", "application/json; charset=UTF-8"), body);
        assertThat("JSON that names its charset UTF-8 is JSON", utf8.status(), is(201));
        RawHttp.Reply noBody = RawHttp.send(target.getUri(), "POST", "/executions/" + UUID.randomUUID() + "/cancel",
                Map.of("Authorization", "Bearer " + USER), null);
        assertThat("a cancel without a body needs no Content-Type", noBody.status(), is(404));
    }

    @Test
    void twoContentTypesAreUnsupported() {
        byte[] body = start("\"featureName\":\"x\",\"estimatedCost\":1").getBytes(StandardCharsets.UTF_8);
        RowCounts before = RowCounts.of(WATCHED);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST /executions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + USER
                + "\r\nContent-Type: application/json\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(body);

        RawSocket.Reply reply = RawSocket.exchange(target.getUri(), request.toByteArray());

        assertThat(reply.status() == 415 || reply.status() == 400, is(true));
        assertThat(reply.contentType(), startsWith("application/problem+json"));
        assertThat(RowCounts.of(WATCHED), is(before));
    }

    @Test
    void invalidUtf8InABodyIsRefusedNotReplaced() {
        Waiting w = waiting();
        String cancel = "/executions/" + w.execution() + "/cancel";
        String answer = "/agent-requests/" + w.request() + "/answer";
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("a stray 0xFF", new byte[] {(byte) 0xFF});
        bad.put("a lone continuation byte", new byte[] {(byte) 0x80});
        bad.put("an overlong '/'", new byte[] {(byte) 0xC0, (byte) 0xAF});
        bad.put("an encoded surrogate (CESU-8)", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        bad.put("a sequence cut short", new byte[] {(byte) 0xE2, (byte) 0x82});
        bad.put("a code point past U+10FFFF", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80});
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, byte[]> b : bad.entrySet()) {
            failed.addAll(refused("start: " + b.getKey(), "/executions", USER,
                    bytes("{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"x", b.getValue(),
                            "\",\"estimatedCost\":1}}")));
            failed.addAll(refused("cancel: " + b.getKey(), cancel, USER, bytes("{\"reason\":\"", b.getValue(), "\"}")));
            failed.addAll(refused("answer: " + b.getKey(), answer, CEO,
                    bytes("{\"approved\":true,\"comment\":\"", b.getValue(), "\"}")));
        }
        assertThat(String.join("\n", failed), failed.isEmpty(), is(true));

        byte[] text = "é, 中, \uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
        RawSocket.Reply ok = RawSocket.postBytes(target.getUri(), "/executions", RUNNER, "application/json",
                bytes("{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"", text, "\",\"estimatedCost\":1}}"));
        assertThat("well-formed UTF-8 passes whole", ok.status(), is(201));
        assertThat(ok.body(), containsString("\"featureName\":\"é, 中, \uD83D\uDE00\""));
    }

    /** Sends the bytes raw; returns what was wrong with the reply or the rows (nothing when refused as it must be). */
    private List<String> refused(String name, String path, String token, byte[] body) {
        RowCounts before = RowCounts.of(WATCHED);
        RawSocket.Reply reply = RawSocket.postBytes(target.getUri(), path, token, "application/json", body);
        List<String> wrong = new ArrayList<>();
        if (reply.status() != 400 || !reply.contentType().startsWith("application/problem+json")
                || !reply.body().contains("\"type\":\"urn:flowguard:problem:invalid-input\"")) {
            wrong.add(name + ": " + reply.status() + " " + reply.contentType() + " " + reply.body());
        }
        RowCounts after = RowCounts.of(WATCHED);
        if (!after.equals(before)) {
            wrong.add(name + ": rows changed " + before + " -> " + after);
        }
        return wrong;
    }

    private static byte[] bytes(String head, byte[] middle, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void aSingleValueHeaderGivenTwiceIsRefused() {
        Waiting w = waiting();
        String start = "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"twice\",\"estimatedCost\":1}}";
        String[] heads = {
                "POST /executions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + USER
                        + "\r\nContent-Type: application/json\r\nIdempotency-Key: a\r\nIdempotency-Key: b\r\n",
                "GET /executions/" + w.execution() + "/stream HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + USER
                        + "\r\nAccept: text/event-stream\r\nLast-Event-ID: 1\r\nLast-Event-ID: 2\r\n"};
        for (String head : heads) {
            RowCounts before = RowCounts.of(WATCHED);
            RawSocket.Reply reply = RawSocket.send(target.getUri(), head, head.startsWith("POST") ? start : null);
            assertThat(head, reply.status(), is(400));
            assertThat(head, reply.body(), containsString("\"type\":\"urn:flowguard:problem:invalid-input\""));
            assertThat(head, reply.body(), containsString("more than once"));
            assertThat(head, RowCounts.of(WATCHED), is(before));
        }
    }

    @Test
    void aQueryParameterGivenTwiceOrNotUtf8IsRefused() {
        Waiting w = waiting();
        String exec = "/executions/" + w.execution();
        List<Case> cases = new ArrayList<>();
        cases.add(of("list: limit=1&limit=abc", "GET", "/executions?limit=1&limit=abc", USER, null, 400, "invalid-input"));
        cases.add(of("list: limit=1&limit=1", "GET", "/executions?limit=1&limit=1", USER, null, 400, "invalid-input"));
        cases.add(of("list: the same name escaped", "GET", "/executions?limit=1&%6cimit=2", USER, null, 400, "invalid-input"));
        cases.add(of("list: status twice", "GET", "/executions?status=RUNNING&status=COMPLETED", USER, null, 400, "invalid-input"));
        cases.add(of("list: offset twice", "GET", "/executions?offset=0&offset=0", USER, null, 400, "invalid-input"));
        cases.add(of("list: owner twice", "GET", "/executions?owner=" + OWNER + "&owner=" + OWNER, USER, null, 400, "invalid-input"));
        cases.add(of("list: owner not UTF-8", "GET", "/executions?owner=%ff", USER, null, 400, "invalid-input"));
        cases.add(of("events: after twice", "GET", exec + "/events?after=0&after=0", USER, null, 400, "invalid-input"));
        cases.add(of("inbox: execution twice", "GET", "/agent-requests?execution=" + w.execution() + "&execution="
                + w.execution(), CEO, null, 400, "invalid-input"));
        cases.add(of("flows: a parameter twice", "GET", "/flows?x=1&x=1", USER, null, 400, "invalid-input"));
        HostileRequests.run("query strings", target.getUri(), cases, WATCHED);
        // No URI class lets malformed escapes through: sent raw. Helidon's HTTP layer refuses some
        // before routing (a bad-request problem from the edge's direct handler); what reaches the
        // API is invalid-input. Either way a problem body.
        for (String query : new String[] {"limit=%zz", "limit=1%2", "limit=1&%6", "li%zzmit=1"}) {
            RowCounts before = RowCounts.of(WATCHED);
            RawSocket.Reply reply = RawSocket.exchange(target.getUri(), ("GET /executions?" + query
                    + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + USER + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(query, reply.status(), is(400));
            assertThat(query, reply.contentType(), startsWith("application/problem+json"));
            assertThat(query, reply.body(), anyOf(containsString("\"type\":\"urn:flowguard:problem:invalid-input\""),
                    containsString("\"type\":\"urn:flowguard:problem:bad-request\"")));
            assertThat(query, RowCounts.of(WATCHED), is(before));
        }

        RawHttp.Reply once = RawHttp.send(target.getUri(), "GET", "/executions?limit=1&offset=0&status=WAITING_AGENT",
                Map.of("Authorization", "Bearer " + USER), null);
        assertThat("each parameter once is read as before", once.status(), is(200));
        assertThat(once.body(), containsString(w.execution()));
    }
}
