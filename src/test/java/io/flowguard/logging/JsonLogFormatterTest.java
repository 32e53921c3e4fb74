package io.flowguard.logging;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.logging.common.HelidonMdc;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** One JSON line per record, with the request and execution ids, and never a token or secret. */
class JsonLogFormatterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonLogFormatter formatter = new JsonLogFormatter();

    private JsonNode format(LogRecord record) throws Exception {
        String line = formatter.format(record);
        assertThat("one line: " + line, line.indexOf('\n'), is(line.length() - 1));
        return JSON.readTree(line);
    }

    @Test
    void aRecordIsOneJsonLineWithTheIdsOfItsContext() throws Exception {
        LogRecord record = new LogRecord(Level.WARNING, "step {0} failed:\n\"quoted\"");
        record.setParameters(new Object[] {"charge"});
        record.setLoggerName("io.flowguard.engine.StepCommitter");
        HelidonMdc.set(JsonLogFormatter.REQUEST_ID, "req-1");
        HelidonMdc.set(JsonLogFormatter.EXECUTION_ID, "exec-9");
        try {
            JsonNode line = format(record);
            assertThat(line.get("level").asText(), is("WARNING"));
            assertThat(line.get("logger").asText(), is("io.flowguard.engine.StepCommitter"));
            assertThat(line.get("message").asText(), is("step charge failed:\n\"quoted\""));
            assertThat(line.get("request_id").asText(), is("req-1"));
            assertThat(line.get("execution_id").asText(), is("exec-9"));
            assertThat(line.has("time"), is(true));
        } finally {
            HelidonMdc.clear();
        }
        assertThat("no ids outside a request or execution", format(record).has("request_id"), is(false));
    }

    @Test
    void anErrorStaysOnTheLine() throws Exception {
        LogRecord record = new LogRecord(Level.SEVERE, "boom");
        record.setThrown(new IllegalStateException("outer", new java.io.IOException("inner")));
        JsonNode line = format(record);
        assertThat(line.get("error").asText(), is("java.lang.IllegalStateException"));
        assertThat(line.get("error_message").asText(), is("outer"));
        assertThat(line.get("stack").asText(), containsString("caused by java.io.IOException"));
    }

    @Test
    void tokensAndSecretsAreRedacted() throws Exception {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
        LogRecord record = new LogRecord(Level.INFO, "call with Authorization: Bearer abc.def-ghi and " + jwt
                + " password=hunter2 {\"token\": \"t0k3n\"} secret: s3cr3t");
        String line = formatter.format(record);
        for (String secret : new String[] {"abc.def-ghi", jwt, "hunter2", "t0k3n", "s3cr3t"}) {
            assertThat(line, not(containsString(secret)));
        }
        assertThat(line, containsString("Bearer [redacted]"));
        assertThat(line, containsString("password=[redacted]"));
    }

    @Test
    void redactionRunsOnTheValueSoAnEscapedQuoteAfterASecretKeepsTheLineValid() throws Exception {
        // the audit line of GET /executions/password=a%5C%22x, as SecurityAudit encodes it
        LogRecord record = new LogRecord(Level.INFO, JSON.writeValueAsString(
                java.util.Map.of("event", "authentication_failure", "path", "executions/password=a\\\"x")));
        record.setLoggerName("flowguard.audit");
        JsonNode line = format(record);
        assertThat(line.get("audit").get("path").asText(), is("executions/password=[redacted]\"x"));
    }

    @Test
    void ordinaryWordsAfterBearerStayAndCredentialsGo() {
        assertThat(Redaction.redact("not a bearer token"), is("not a bearer token"));
        assertThat(Redaction.redact("send a Bearer token."), is("send a Bearer token."));
        assertThat(Redaction.redact("Bearer s3cr3t"), is("Bearer [redacted]"));
        assertThat(Redaction.redact("bearer abcdefghijklmnopq"), is("bearer [redacted]"));
        assertThat(Redaction.redact("Authorization: Basic dXNlcjpwYXNz"), is("Authorization: Basic [redacted]"));
        assertThat(Redaction.redact("{\"password\":\"two words\"}"), is("{\"password\":\"[redacted]\"}"));
        assertThat(Redaction.redact("the token refused"), is("the token refused"));
    }

    @Test
    void lineBreaksOfEveryKindAreEscapedAndALoneSurrogateBecomesAReplacementCharacter() throws Exception {
        LogRecord record = new LogRecord(Level.INFO, "a\rb\nc\u0085d\u2028e\u2029f\u0000g\ud800h\udc00i\ud83d\ude00");
        String line = formatter.format(record);
        for (char c : new char[] {'\r', '\u0085', '\u2028', '\u2029', '\u0000', '\ud800', '\udc00'}) {
            assertThat(line.indexOf(c), is(-1));
        }
        assertThat(JSON.readTree(line).get("message").asText(),
                is("a\rb\nc\u0085d\u2028e\u2029f\u0000g\ufffdh\ufffdi\ud83d\ude00"));
    }

    @Test
    void anAuditMessageThatIsNotOneObjectIsAString() throws Exception {
        for (String message : new String[] {"{\"a\":1} {\"b\":2}", "{\"a\":\"x\"", "{\"a\":1,\"a\":2}", "{not json}"}) {
            LogRecord record = new LogRecord(Level.INFO, message);
            record.setLoggerName("flowguard.audit");
            JsonNode line = format(record);
            assertThat(message, line.has("audit"), is(false));
            assertThat(line.get("message").asText(), is(message));
        }
    }

    @Test
    void auditLinesAreEmbeddedAsObjects() throws Exception {
        LogRecord record = new LogRecord(Level.INFO, "{\"kind\":\"forbidden\",\"path\":\"/executions\"}");
        record.setLoggerName("flowguard.audit");
        JsonNode line = format(record);
        assertThat(line.get("audit").get("kind").asText(), is("forbidden"));
        assertThat(line.has("message"), is(false));
    }

    @Test
    void fieldsAreFieldsOfTheLineInTheirOrderWithTheirStringsRedacted() throws Exception {
        LogRecord record = new LogRecord(Level.SEVERE, "flow x, step y asks role z");
        record.setParameters(new Object[] {new LogFields(new java.util.LinkedHashMap<>(java.util.Map.of("flow", "x")))});
        assertThat(format(record).get("flow").asText(), is("x"));

        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("flow", "expense-approval");
        fields.put("version", 2);
        fields.put("flows", java.util.List.of("a v1", "token=s3cr3t-value"));
        fields.put("jars", java.util.Map.of("a.jar", java.util.List.of("a v1")));
        record.setParameters(new Object[] {new LogFields(fields)});
        String line = formatter.format(record);
        assertThat(line, containsString("\"message\":\"flow x, step y asks role z\",\"flow\":\"expense-approval\","
                + "\"version\":2,\"flows\":[\"a v1\",\"token=[redacted]\"],\"jars\":{\"a.jar\":[\"a v1\"]}}"));
        assertThat(line, not(containsString("s3cr3t")));
    }

    @Test
    void aFieldCannotHideOneOfTheLinesOwn() {
        for (String reserved : new String[] {"message", "level", "time", "logger", "request_id", "error"}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new LogFields(java.util.Map.of(reserved, "x")), reserved);
        }
    }
}
