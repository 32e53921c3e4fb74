package io.flowguard.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.testing.RowCounts;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Runs tables of hostile requests: each must get its status and problem type in an RFC 9457 body
 * ({@code type}, {@code title}, {@code status} the response's, an optional {@code detail}, nothing
 * else), a body that gives nothing away, and leave the watched owners' rows exactly as they were. Collects every
 * failure (rather than stopping at the first) and prints one summary line per table.
 */
final class HostileRequests {

    /**
     * One hostile request and what it must get.
     *
     * @param name        what it tries
     * @param method      HTTP method
     * @param path        path and query
     * @param token       bearer token, or null for none
     * @param contentType Content-Type of the body, or null
     * @param body        raw body, or null
     * @param headers     other headers
     * @param status      expected status
     * @param slug        expected problem type slug
     */
    record Case(String name, String method, String path, String token, String contentType, String body,
                Map<String, String> headers, int status, String slug) {

        static Case of(String name, String method, String path, String token, String jsonBody, int status,
                       String slug) {
            return new Case(name, method, path, token, jsonBody == null ? null : "application/json", jsonBody,
                    Map.of(), status, slug);
        }

        Case withHeader(String header, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(header, value);
            return new Case(name, method, path, token, contentType, body, h, status, slug);
        }

        Case withContentType(String type) {
            return new Case(name, method, path, token, type, body, headers, status, slug);
        }
    }

    /** Things no error body may contain: stack frames, class or package names, SQL, file paths. */
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "io.flowguard", "java.", "jakarta.",
            "org.", "com.fasterxml", "SELECT ", "INSERT ", "UPDATE ", "/work/", "/tmp/", "/home/", ".java");

    /** The members a problem body may have. */
    private static final Set<String> PROBLEM_MEMBERS = Set.of("type", "title", "status", "detail");
    private static final ObjectMapper JSON = new ObjectMapper();

    private HostileRequests() {
    }

    /**
     * @param body   a response body
     * @param status the response's status
     * @return what makes it something other than an RFC 9457 problem with that status, or none
     */
    static List<String> problemShape(String body, int status) {
        JsonNode problem;
        try {
            problem = JSON.readTree(body);
        } catch (JsonProcessingException notJson) {
            return List.of("body is not JSON");
        }
        if (problem == null || !problem.isObject()) {
            return List.of("body is not a JSON object");
        }
        List<String> wrong = new ArrayList<>();
        problem.fieldNames().forEachRemaining(name -> {
            if (!PROBLEM_MEMBERS.contains(name)) {
                wrong.add("problem member '" + name + "'");
            }
        });
        if (!problem.path("type").isTextual() || !problem.path("type").textValue().startsWith("urn:flowguard:problem:")) {
            wrong.add("problem type " + problem.get("type"));
        }
        if (!problem.path("title").isTextual() || problem.path("title").textValue().isBlank()) {
            wrong.add("problem title " + problem.get("title"));
        }
        if (!problem.path("status").isInt() || problem.path("status").intValue() != status) {
            wrong.add("problem status " + problem.get("status") + " in a " + status);
        }
        if (problem.has("detail") && (!problem.get("detail").isTextual() || problem.get("detail").textValue().isBlank())) {
            wrong.add("problem detail " + problem.get("detail"));
        }
        return wrong;
    }

    /**
     * @param label   the table's name in the summary line
     * @param base    the server's base URI
     * @param cases   the requests
     * @param watched the owners whose rows must not change
     * @return how many cases ran
     */
    static int run(String label, URI base, List<Case> cases, String... watched) {
        List<String> failed = failures(base, cases, watched);
        System.out.println(label + ": " + (cases.size() - failed.size()) + " passed, " + failed.size() + " failed");
        assertThat(String.join("\n", failed), failed.isEmpty(), is(true));
        return cases.size();
    }

    /**
     * @param base    the server's base URI
     * @param cases   the requests
     * @param watched the owners whose rows must not change
     * @return one line per case that did not get what it must
     */
    static List<String> failures(URI base, List<Case> cases, String... watched) {
        List<String> failed = new ArrayList<>();
        for (Case c : cases) {
            RowCounts before = RowCounts.of(watched);
            Map<String, String> headers = new LinkedHashMap<>(c.headers());
            if (c.token() != null) {
                headers.put("Authorization", "Bearer " + c.token());
            }
            if (c.contentType() != null) {
                headers.put("Content-Type", c.contentType());
            }
            RawHttp.Reply reply = RawHttp.send(base, c.method(), c.path(), headers, c.body());
            List<String> wrong = new ArrayList<>();
            if (reply.status() != c.status()) {
                wrong.add("status " + reply.status() + " (wanted " + c.status() + ")");
            }
            if (!reply.contentType().startsWith("application/problem+json")) {
                wrong.add("content type '" + reply.contentType() + "'");
            }
            if (!reply.body().contains("\"type\":\"urn:flowguard:problem:" + c.slug() + "\"")) {
                wrong.add("not problem " + c.slug());
            }
            wrong.addAll(problemShape(reply.body(), reply.status()));
            for (String leak : LEAKS) {
                if (reply.body().contains(leak)) {
                    wrong.add("body shows '" + leak.strip() + "'");
                }
            }
            RowCounts after = RowCounts.of(watched);
            if (!after.equals(before)) {
                wrong.add("rows changed: " + before + " -> " + after);
            }
            if (!wrong.isEmpty()) {
                failed.add(c.name() + ": " + String.join(", ", wrong) + " | body: "
                        + reply.body().substring(0, Math.min(300, reply.body().length())));
            }
        }
        return failed;
    }
}
