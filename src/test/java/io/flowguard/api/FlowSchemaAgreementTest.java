package io.flowguard.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * The JSON Schemas {@code GET /flows/{name}} publishes say what the engine accepts. For every
 * flow the project ships and the test flows that declare answers, inputs and answers are put
 * at each constraint's boundary (cap-1, cap, cap+1; missing, null, blank; an unknown field; a
 * value of the wrong JSON type), checked against the published schema by a JSON Schema
 * validator (networknt's, Draft 2020-12, formats asserted) and sent to the real service (a
 * start's {@code input}, an answer's body): each is accepted by both or refused by both, and as
 * the Java constraints say it should be. Every state an accepted one led to is checked against
 * the published state schema. What the schema cannot say is listed apart, as documented in
 * rest-api.md: there the engine is the stricter. Every execution is finished before the test
 * ends (cancelled unless it completed).
 */
@HelidonTest
class FlowSchemaAgreementTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            registry -> registry.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private static final Set<String> FINISHED = Set.of("COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT");

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    private URI service;
    private String owner;

    @BeforeEach
    void tokens() {
        service = target.getUri();
        owner = TestTokens.token("schema-owner", "flow-user");
    }

    // ---- feature-approval ------------------------------------------------------------------------

    @Test
    void featureApprovalInputsAgreeWithTheirSchema() {
        String base = "{\"featureName\":\"dark mode\",\"estimatedCost\":1}";
        List<Case> cases = new ArrayList<>();
        cases.add(accepted("the smallest input", base));
        text(cases, base, "featureName", 200, true);
        cases.add(refused("featureName missing", without(base, "featureName")));
        cases.add(accepted("featureName with a character trim() keeps", with(base, "featureName", "\"\\u00a0\"")));
        text(cases, base, "description", 5000, false);
        integer(cases, base, "estimatedCost", 0, 1_000_000_000_000L, false);
        cases.add(refused("estimatedCost beyond a long", with(base, "estimatedCost", "9223372036854775808")));
        cases.add(refused("estimatedCost missing", without(base, "estimatedCost")));
        integer(cases, base, "complexity", 1, 10, true);
        cases.add(refused("complexity beyond an int", with(base, "complexity", "2147483648")));
        cases.add(refused("a field only the steps write", with(base, "decision", "\"APPROVED\"")));
        cases.add(refused("an unknown field", with(base, "owner", "\"mallory\"")));
        cases.add(refused("an array instead of an object", "[]"));
        cases.add(refused("a string instead of an object", "\"dark mode\""));
        agreeOnStarts("feature-approval", 1, cases);
    }

    @Test
    void featureApprovalAnswersAgreeWithTheirSchema() {
        List<Case> cases = approvals();
        agreeOnAnswers("feature-approval", 1, "askCeo", "ceo", "{\"featureName\":\"x\",\"estimatedCost\":2000000}", cases);
        agreeOnAnswers("feature-approval", 1, "askCto", "cto",
                "{\"featureName\":\"x\",\"estimatedCost\":1,\"complexity\":9}", cases);
    }

    private static List<Case> approvals() {
        String base = "{\"approved\":true}";
        List<Case> cases = new ArrayList<>();
        cases.add(accepted("approved", base));
        cases.add(accepted("rejected", "{\"approved\":false}"));
        cases.add(refused("approved missing", "{}"));
        cases.add(refused("approved null", "{\"approved\":null}"));
        cases.add(refused("approved as a string", "{\"approved\":\"true\"}"));
        cases.add(refused("approved as a number", "{\"approved\":1}"));
        text(cases, base, "comment", 2000, false);
        cases.add(refused("an unknown field", with(base, "reason", "\"because\"")));
        cases.add(refused("an array", "[true]"));
        return cases;
    }

    // ---- campaign-launch -------------------------------------------------------------------------

    @Test
    void campaignLaunchInputsAgreeWithTheirSchema() {
        String base = "{\"name\":\"spring\",\"budget\":1}";
        List<Case> cases = new ArrayList<>();
        cases.add(accepted("the smallest input", base));
        text(cases, base, "name", 200, true);
        cases.add(refused("name missing", without(base, "name")));
        cases.add(refused("budget 0", with(base, "budget", "0")));
        cases.add(refused("budget -1", with(base, "budget", "-1")));
        cases.add(accepted("budget 2", with(base, "budget", "2")));
        cases.add(accepted("budget the largest long", with(base, "budget", "9223372036854775807")));
        cases.add(refused("budget beyond a long", with(base, "budget", "9223372036854775808")));
        cases.add(refused("budget missing", without(base, "budget")));
        cases.add(refused("budget null", with(base, "budget", "null")));
        cases.add(refused("budget as a string", with(base, "budget", "\"5\"")));
        cases.add(refused("budget with a fraction", with(base, "budget", "1.5")));
        for (String written : List.of("completed", "mediaBooking", "launched")) {
            cases.add(refused("the steps' field " + written, with(base, written, "null")));
        }
        agreeOnStarts("campaign-launch", 1, cases);
    }

    // ---- test-shapes: every kind of field and constraint -----------------------------------------

    private static final String ORDER = "{\"title\":\"t\",\"priority\":1,\"deliverTo\":{\"city\":\"c\"},\"gift\":false}";

    @Test
    void textPatternsAndMailAgreeWithTheirSchema() {
        List<Case> cases = new ArrayList<>();
        cases.add(accepted("the smallest order", ORDER));
        text(cases, ORDER, "title", 20, true);
        cases.add(refused("title missing", without(ORDER, "title")));
        cases.add(refused("title of U+0020 only", with(ORDER, "title", "\"\\u0020\"")));
        cases.add(refused("title of control characters only", with(ORDER, "title", "\"\\u0001\\t\\n\"")));
        cases.add(accepted("title of U+0021", with(ORDER, "title", "\"\\u0021\"")));
        cases.add(accepted("title of U+00A0 (trim() keeps it)", with(ORDER, "title", "\"\\u00a0\"")));
        cases.add(accepted("reference matching", with(ORDER, "reference", "\"ABC-12\"")));
        cases.add(refused("reference with text before", with(ORDER, "reference", "\"xABC-12\"")));
        cases.add(refused("reference with text after", with(ORDER, "reference", "\"ABC-123\"")));
        cases.add(refused("reference in lower case", with(ORDER, "reference", "\"abc-12\"")));
        cases.add(accepted("reference null", with(ORDER, "reference", "null")));
        cases.add(refused("reference as a number", with(ORDER, "reference", "12")));
        cases.add(accepted("contact an address", with(ORDER, "contact", "\"ann@example.com\"")));
        cases.add(refused("contact without @", with(ORDER, "contact", "\"ann.example.com\"")));
        cases.add(refused("contact with two @", with(ORDER, "contact", "\"ann@b@example.com\"")));
        cases.add(accepted("contact null", with(ORDER, "contact", "null")));
        cases.add(accepted("contact empty (Hibernate Validator takes it)", with(ORDER, "contact", "\"\"")));
        cases.add(accepted("contact on a host without a dot", with(ORDER, "contact", "\"ann@localhost\"")));
        cases.add(refused("contact with two dots in a row", with(ORDER, "contact", "\"a..b@example.com\"")));
        cases.add(refused("contact as a number", with(ORDER, "contact", "1")));
        agreeOnStarts("test-shapes", 2, cases);
    }

    @Test
    void numbersAgreeWithTheirSchema() {
        List<Case> cases = new ArrayList<>();
        integer(cases, ORDER, "priority", 1, 5, false);
        cases.add(refused("priority missing (a primitive)", without(ORDER, "priority")));
        cases.add(refused("priority with a fraction", with(ORDER, "priority", "1.5")));
        integer(cases, ORDER, "budget", 0, 1_000_000, true);
        cases.add(refused("share 0 (exclusive)", with(ORDER, "share", "0")));
        cases.add(accepted("share just above 0", with(ORDER, "share", "0.0001")));
        cases.add(accepted("share 1", with(ORDER, "share", "1")));
        cases.add(accepted("share 1.0", with(ORDER, "share", "1.0")));
        cases.add(refused("share just above 1", with(ORDER, "share", "1.0001")));
        cases.add(refused("share as a string", with(ORDER, "share", "\"0.5\"")));
        cases.add(accepted("share null", with(ORDER, "share", "null")));
        cases.add(accepted("count the largest int", with(ORDER, "count", "2147483647")));
        cases.add(refused("count beyond an int", with(ORDER, "count", "2147483648")));
        cases.add(accepted("count the smallest int", with(ORDER, "count", "-2147483648")));
        cases.add(refused("count below an int", with(ORDER, "count", "-2147483649")));
        cases.add(accepted("gift true", with(ORDER, "gift", "true")));
        cases.add(refused("gift missing (a primitive)", without(ORDER, "gift")));
        cases.add(refused("gift null (a primitive)", with(ORDER, "gift", "null")));
        cases.add(refused("gift as a string", with(ORDER, "gift", "\"true\"")));
        cases.add(refused("gift as a number", with(ORDER, "gift", "1")));
        agreeOnStarts("test-shapes", 2, cases);
    }

    @Test
    void listsEnumsAndTimesAgreeWithTheirSchema() {
        List<Case> cases = new ArrayList<>();
        cases.add(accepted("tags empty", with(ORDER, "tags", "[]")));
        cases.add(accepted("tags 2", with(ORDER, "tags", "[\"a\",\"b\"]")));
        cases.add(accepted("tags 3", with(ORDER, "tags", "[\"a\",\"b\",\"c\"]")));
        cases.add(refused("tags 4", with(ORDER, "tags", "[\"a\",\"b\",\"c\",\"d\"]")));
        cases.add(accepted("a tag of 9", with(ORDER, "tags", "[" + quoted(9) + "]")));
        cases.add(accepted("a tag of 10", with(ORDER, "tags", "[" + quoted(10) + "]")));
        cases.add(refused("a tag of 11", with(ORDER, "tags", "[" + quoted(11) + "]")));
        cases.add(refused("a blank tag", with(ORDER, "tags", "[\" \"]")));
        cases.add(refused("a null tag (@NotBlank items)", with(ORDER, "tags", "[null]")));
        cases.add(refused("a number as a tag", with(ORDER, "tags", "[1]")));
        cases.add(refused("tags a string, not a list", with(ORDER, "tags", "\"a\"")));
        cases.add(accepted("tags null", with(ORDER, "tags", "null")));
        cases.add(accepted("a null note (items unconstrained)", with(ORDER, "notes", "[null]")));
        cases.add(accepted("notes 2", with(ORDER, "notes", "[\"a\",null]")));
        cases.add(refused("notes 3", with(ORDER, "notes", "[\"a\",\"b\",\"c\"]")));
        cases.add(accepted("urgency LOW", with(ORDER, "urgency", "\"LOW\"")));
        cases.add(accepted("urgency HIGH", with(ORDER, "urgency", "\"HIGH\"")));
        cases.add(accepted("urgency null", with(ORDER, "urgency", "null")));
        cases.add(refused("urgency in lower case", with(ORDER, "urgency", "\"low\"")));
        cases.add(refused("urgency not a constant", with(ORDER, "urgency", "\"MEDIUM\"")));
        cases.add(refused("urgency empty", with(ORDER, "urgency", "\"\"")));
        cases.add(refused("urgency by index", with(ORDER, "urgency", "0")));
        cases.add(refused("urgency by index as text", with(ORDER, "urgency", "\"0\"")));
        cases.add(accepted("due a leap day", with(ORDER, "due", "\"2024-02-29\"")));
        cases.add(refused("due no such day", with(ORDER, "due", "\"2023-02-29\"")));
        cases.add(refused("due without leading zeros", with(ORDER, "due", "\"2024-2-3\"")));
        cases.add(refused("due empty", with(ORDER, "due", "\"\"")));
        cases.add(refused("due as a number", with(ORDER, "due", "20240203")));
        cases.add(accepted("due as an array [year, month, day]", with(ORDER, "due", "[2024,2,3]")));
        cases.add(refused("due as an array of two", with(ORDER, "due", "[2024,2]")));
        cases.add(refused("due as an array of four", with(ORDER, "due", "[2024,2,3,4]")));
        cases.add(refused("due as an array with month 13", with(ORDER, "due", "[2024,13,3]")));
        cases.add(refused("due as an array of text", with(ORDER, "due", "[\"2024\",\"2\",\"3\"]")));
        cases.add(accepted("due null", with(ORDER, "due", "null")));
        cases.add(accepted("notBefore in UTC", with(ORDER, "notBefore", "\"2024-02-03T10:15:30Z\"")));
        cases.add(accepted("notBefore with a fraction", with(ORDER, "notBefore", "\"2024-02-03T10:15:30.123456789Z\"")));
        cases.add(refused("notBefore a date only", with(ORDER, "notBefore", "\"2024-02-03\"")));
        cases.add(refused("notBefore without a zone", with(ORDER, "notBefore", "\"2024-02-03T10:15:30\"")));
        cases.add(refused("notBefore without seconds", with(ORDER, "notBefore", "\"2024-02-03T10:15Z\"")));
        cases.add(accepted("notBefore with an offset", with(ORDER, "notBefore", "\"2024-02-03T11:15:30+01:00\"")));
        cases.add(accepted("notBefore as seconds since 1970", with(ORDER, "notBefore", "1706955330")));
        cases.add(accepted("notBefore as seconds with a fraction", with(ORDER, "notBefore", "1706955330.5")));
        cases.add(refused("notBefore as seconds beyond an instant", with(ORDER, "notBefore", "31556889864403200")));
        cases.add(refused("notBefore as a boolean", with(ORDER, "notBefore", "true")));
        cases.add(refused("notBefore empty", with(ORDER, "notBefore", "\"\"")));
        cases.add(accepted("notBefore null", with(ORDER, "notBefore", "null")));
        agreeOnStarts("test-shapes", 2, cases);
    }

    @Test
    void nestedRecordsAgreeWithTheirSchema() {
        List<Case> cases = new ArrayList<>();
        cases.add(refused("deliverTo missing", without(ORDER, "deliverTo")));
        cases.add(refused("deliverTo null", with(ORDER, "deliverTo", "null")));
        cases.add(refused("deliverTo empty: its city is checked (@Valid)", with(ORDER, "deliverTo", "{}")));
        cases.add(accepted("a city of 29", with(ORDER, "deliverTo", "{\"city\":" + quoted(29) + "}")));
        cases.add(accepted("a city of 30", with(ORDER, "deliverTo", "{\"city\":" + quoted(30) + "}")));
        cases.add(refused("a city of 31", with(ORDER, "deliverTo", "{\"city\":" + quoted(31) + "}")));
        cases.add(refused("a blank city", with(ORDER, "deliverTo", "{\"city\":\" \"}")));
        cases.add(accepted("a zip", with(ORDER, "deliverTo", "{\"city\":\"c\",\"zip\":\"12345\"}")));
        cases.add(refused("a zip of 4 digits", with(ORDER, "deliverTo", "{\"city\":\"c\",\"zip\":\"1234\"}")));
        cases.add(refused("an unknown field in deliverTo", with(ORDER, "deliverTo", "{\"city\":\"c\",\"street\":\"s\"}")));
        cases.add(refused("deliverTo a string", with(ORDER, "deliverTo", "\"c\"")));
        cases.add(refused("deliverTo an array", with(ORDER, "deliverTo", "[]")));
        cases.add(accepted("billTo null", with(ORDER, "billTo", "null")));
        cases.add(accepted("billTo empty: it is not checked (no @Valid)", with(ORDER, "billTo", "{}")));
        cases.add(accepted("a billTo name of 31, not checked", with(ORDER, "billTo", "{\"name\":" + quoted(31) + "}")));
        cases.add(accepted("returnTo null", with(ORDER, "returnTo", "null")));
        cases.add(refused("returnTo empty: checked (@Valid)", with(ORDER, "returnTo", "{}")));
        cases.add(refused("a returnTo city of 31", with(ORDER, "returnTo", "{\"city\":" + quoted(31) + "}")));
        cases.add(refused("an unknown field in billTo: reading is strict anyway", with(ORDER, "billTo", "{\"street\":\"s\"}")));
        cases.add(refused("an unknown field", with(ORDER, "discount", "10")));
        agreeOnStarts("test-shapes", 2, cases);
    }

    @Test
    void testShapesAnswersAgreeWithTheirSchema() {
        String base = "{\"decision\":\"ACCEPT\",\"score\":1}";
        List<Case> cases = new ArrayList<>();
        cases.add(accepted("the smallest verdict", base));
        cases.add(refused("decision missing", without(base, "decision")));
        cases.add(refused("decision null", with(base, "decision", "null")));
        cases.add(refused("decision in lower case", with(base, "decision", "\"accept\"")));
        cases.add(refused("score 0 (@Positive)", with(base, "score", "0")));
        cases.add(accepted("score 2", with(base, "score", "2")));
        cases.add(refused("score missing (a primitive)", without(base, "score")));
        cases.add(refused("score as a string", with(base, "score", "\"1\"")));
        cases.add(accepted("reasons empty", with(base, "reasons", "[]")));
        cases.add(accepted("reasons 2", with(base, "reasons", "[{\"text\":\"a\"},{\"text\":\"b\"}]")));
        cases.add(refused("reasons 3", with(base, "reasons", "[{\"text\":\"a\"},{\"text\":\"b\"},{\"text\":\"c\"}]")));
        cases.add(accepted("a reason of 50", with(base, "reasons", "[{\"text\":" + quoted(50) + "}]")));
        cases.add(refused("a reason of 51", with(base, "reasons", "[{\"text\":" + quoted(51) + "}]")));
        cases.add(refused("a reason without text (@Valid items)", with(base, "reasons", "[{}]")));
        cases.add(accepted("a null reason (items may be null)", with(base, "reasons", "[null]")));
        cases.add(refused("an unknown field in a reason", with(base, "reasons", "[{\"text\":\"a\",\"by\":\"b\"}]")));
        cases.add(refused("an unknown field", with(base, "comment", "\"c\"")));
        cases.add(refused("an array", "[]"));
        agreeOnAnswers("test-shapes", 2, "review", "test_lead", ORDER, cases);
    }

    @Test
    void anAnswerOfAnyObjectAgreesWithItsSchema() {
        List<Case> cases = new ArrayList<>();
        cases.add(accepted("an empty object", "{}"));
        cases.add(accepted("any fields", "{\"approved\":true,\"n\":1,\"list\":[null]}"));
        cases.add(refused("an array", "[{}]"));
        cases.add(refused("a string", "\"yes\""));
        cases.add(refused("null", "null"));
        cases.add(refused("a number", "1"));
        agreeOnAnswers("test-two-roles-ask", 1, "askCeo", "ceo", "{\"key\":\"schema-any\"}", cases);
    }

    /**
     * What JSON Schema cannot say, as rest-api.md documents: each case with what the schema and
     * the engine do with it.
     */
    @Test
    void whatTheSchemaCannotSayIsAsDocumented() {
        String emoji = "\"" + "\\ud83d\\ude00".repeat(20) + "\"";
        List<Difference> differences = List.of(
                new Difference("an integer written with a fraction of zero", with(ORDER, "priority", "1.0"), true, false),
                new Difference("an integer written with an exponent", with(ORDER, "priority", "1e0"), true, false),
                new Difference("20 emoji: 20 code points, 40 UTF-16 units for @Size", with(ORDER, "title", emoji), true, false),
                new Difference("a date array of a day that does not exist", with(ORDER, "due", "[2023,2,29]"), true, false),
                new Difference("an e-mail domain with an underscore", with(ORDER, "contact", "\"ann@exa_mple.com\""),
                        false, true),
                new Difference("an empty date array, read as null", with(ORDER, "due", "[]"), false, true),
                new Difference("a date with a time in UTC, read as its day", with(ORDER, "due", "\"2024-02-03T10:00:00Z\""),
                        false, true));
        JsonNode schema = schema("test-shapes", 2, "input", null);
        for (Difference d : differences) {
            assertThat(d.what + ": the schema", errors(schema, d.json).isEmpty(), is(d.schemaAccepts));
            Outcome started = start("test-shapes", d.json);
            assertThat(d.what + ": the engine", started.accepted(), is(d.engineAccepts));
            if (started.accepted()) {
                finish(started.json());
            }
        }
    }

    private record Difference(String what, String json, boolean schemaAccepts, boolean engineAccepts) {
    }

    // ---- the checks ------------------------------------------------------------------------------

    /** Each case checked by the published input schema and sent as a start's input. */
    private void agreeOnStarts(String flow, int version, List<Case> cases) {
        JsonNode input = schema(flow, version, "input", null);
        JsonNode state = schema(flow, version, "state", null);
        for (Case c : cases) {
            List<Error> errors = errors(input, c.json);
            assertThat(c.what + " by the schema " + errors, errors.isEmpty(), is(c.accepted));
            Outcome started = start(flow, c.json);
            assertThat(c.what + " by the engine: " + started.body, started.accepted(), is(c.accepted));
            if (started.accepted()) {
                JsonNode execution = started.json();
                assertThat(c.what + ": its state " + execution.path("state"), errors(state, execution.path("state").toString()),
                        empty());
                finish(execution);
            }
        }
    }

    /**
     * Each case checked by the published answer schema and sent as the answer to a pending
     * request of the step (a new one after each accepted answer).
     */
    private void agreeOnAnswers(String flow, int version, String step, String role, String startInput, List<Case> cases) {
        JsonNode answer = schema(flow, version, "answers", step);
        JsonNode state = schema(flow, version, "state", null);
        String agent = TestTokens.token("schema-" + role, "agent:" + role);
        JsonNode waiting = null;
        for (Case c : cases) {
            List<Error> errors = errors(answer, c.json);
            assertThat(c.what + " by the schema " + errors, errors.isEmpty(), is(c.accepted));
            if (waiting == null) {
                waiting = startWaiting(flow, startInput, role);
            }
            String requestId = requestOf(waiting, role);
            Outcome answered = send(post("/agent-requests/" + requestId + "/answer", agent, c.json));
            assertThat(c.what + " by the engine: " + answered.body, answered.accepted(), is(c.accepted));
            if (answered.accepted()) {
                JsonNode execution = send(get("/executions/" + waiting.path("id").asText(), owner)).json();
                assertThat(c.what + ": the state after it", errors(state, execution.path("state").toString()), empty());
                finish(execution);
                waiting = null;
            }
        }
        if (waiting != null) {
            finish(waiting);
        }
    }

    private Outcome start(String flow, String input) {
        return send(post("/executions", owner, "{\"flow\":\"" + flow + "\",\"input\":" + input + "}"));
    }

    private JsonNode startWaiting(String flow, String input, String role) {
        Outcome started = start(flow, input);
        assertThat(started.body, started.status, is(201));
        JsonNode execution = started.json();
        assertThat(execution.toString(), execution.path("status").asText(), is("WAITING_AGENT"));
        requestOf(execution, role);
        return execution;
    }

    private static String requestOf(JsonNode execution, String role) {
        for (JsonNode request : execution.path("waitingFor")) {
            if (request.path("role").asText().equals(role)) {
                return request.path("id").asText();
            }
        }
        throw new AssertionError("no request for " + role + " in " + execution);
    }

    /**
     * Cancels the execution unless it finished by itself: the shared database keeps no unfinished
     * one. A 409 is an execution that finished on its own meanwhile (its steps run on the workers).
     */
    private void finish(JsonNode execution) {
        if (!FINISHED.contains(execution.path("status").asText())) {
            String id = execution.path("id").asText();
            Outcome cancelled = send(post("/executions/" + id + "/cancel", owner, "{}"));
            if (cancelled.status == 409) {
                String status = send(get("/executions/" + id, owner)).json().path("status").asText();
                assertThat(cancelled.body, FINISHED.contains(status), is(true));
            } else {
                assertThat(cancelled.body, cancelled.status, is(200));
            }
        }
    }

    /** The published schema of one version's input, state or answer to a step. */
    private JsonNode schema(String flow, int version, String part, String step) {
        Outcome graph = send(get("/flows/" + flow, owner));
        assertThat(graph.body, graph.status, is(200));
        for (JsonNode v : graph.json().path("versions")) {
            if (v.path("version").asInt() == version) {
                JsonNode schema = step == null ? v.path(part) : v.path(part).path(step);
                assertThat(flow + " v" + version + " publishes " + part + " " + step, schema.isObject(), is(true));
                return schema;
            }
        }
        throw new AssertionError(flow + " publishes no version " + version + ": " + graph.body);
    }

    private static List<Error> errors(JsonNode schema, String json) {
        Schema validator = SCHEMAS.getSchema(schema);
        return validator.validate(json, InputFormat.JSON);
    }

    // ---- cases -----------------------------------------------------------------------------------

    private record Case(String what, String json, boolean accepted) {
    }

    private static Case accepted(String what, String json) {
        return new Case(what, json, true);
    }

    private static Case refused(String what, String json) {
        return new Case(what, json, false);
    }

    /** A text field at its cap (cap-1, cap, cap+1), empty, blank, null and of the wrong type. */
    private static void text(List<Case> cases, String base, String field, int cap, boolean notBlank) {
        cases.add(accepted(field + " of " + (cap - 1), with(base, field, quoted(cap - 1))));
        cases.add(accepted(field + " of " + cap, with(base, field, quoted(cap))));
        cases.add(refused(field + " of " + (cap + 1), with(base, field, quoted(cap + 1))));
        cases.add(new Case(field + " empty", with(base, field, "\"\""), !notBlank));
        cases.add(new Case(field + " blank", with(base, field, "\"  \""), !notBlank));
        cases.add(new Case(field + " null", with(base, field, "null"), !notBlank));
        cases.add(refused(field + " as a number", with(base, field, "5")));
        cases.add(refused(field + " as a boolean", with(base, field, "true")));
        cases.add(refused(field + " as an object", with(base, field, "{}")));
    }

    /** An integer field at both bounds (-1, bound, +1), null when it may be, and of the wrong type. */
    private static void integer(List<Case> cases, String base, String field, long min, long max, boolean nullable) {
        cases.add(refused(field + " " + (min - 1), with(base, field, Long.toString(min - 1))));
        cases.add(accepted(field + " " + min, with(base, field, Long.toString(min))));
        cases.add(accepted(field + " " + (min + 1), with(base, field, Long.toString(min + 1))));
        cases.add(accepted(field + " " + (max - 1), with(base, field, Long.toString(max - 1))));
        cases.add(accepted(field + " " + max, with(base, field, Long.toString(max))));
        cases.add(refused(field + " " + (max + 1), with(base, field, Long.toString(max + 1))));
        cases.add(new Case(field + " null", with(base, field, "null"), nullable));
        cases.add(refused(field + " as a string", with(base, field, "\"" + min + "\"")));
        cases.add(refused(field + " as a boolean", with(base, field, "true")));
    }

    private static String quoted(int length) {
        return "\"" + "a".repeat(length) + "\"";
    }

    private static String with(String object, String field, String value) {
        return edit(object, node -> {
            try {
                node.set(field, JSON.readTree(value));
            } catch (IOException e) {
                throw new IllegalArgumentException(value, e);
            }
        });
    }

    private static String without(String object, String field) {
        return edit(object, node -> node.remove(field));
    }

    private static String edit(String object, Consumer<ObjectNode> change) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(object);
            change.accept(node);
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalArgumentException(object, e);
        }
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    /**
     * @param status the HTTP status
     * @param body   its body
     */
    private record Outcome(int status, String body) {

        /** Accepted (2xx), or refused as invalid input (400 invalid-input); anything else fails the test. */
        boolean accepted() {
            if (status / 100 == 2) {
                return true;
            }
            assertThat(body, status, is(400));
            assertThat(body, json().path("type").asText(), is("urn:flowguard:problem:invalid-input"));
            return false;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private HttpRequest get(String path, String token) {
        return HttpRequest.newBuilder(service.resolve(path)).header("Authorization", "Bearer " + token).GET().build();
    }

    private HttpRequest post(String path, String token, String json) {
        // Prefer: wait: the answer comes once the execution went as far as it goes on its own
        return HttpRequest.newBuilder(service.resolve(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Prefer", "wait=10")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static Outcome send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Outcome(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new AssertionError(request.uri().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(request.uri().toString(), e);
        }
    }
}
