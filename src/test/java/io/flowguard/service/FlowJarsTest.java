package io.flowguard.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.security.DevKeys;
import io.flowguard.security.DevTokens;
import io.flowguard.testing.FlowJar;
import io.flowguard.testing.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * Flows in their own JARs, run by the real entry point in its own process: JARs built here from
 * the sample project's sources ({@code src/it/expense-flows}) and from small flows, put in
 * {@code flowguard.flows.dir} or on the class path. The folder and what each JAR holds are logged
 * at startup as one JSON line; a JAR without {@code beans.xml} simply works (its flow and the
 * bean it injects); a JAR whose flows are not registered is named in a warning; the sample flow
 * runs end to end over HTTP; a role a flow asks for that is not configured refuses startup with
 * a JSON line naming flow, step and role. With {@code flowguard.flows.examples=false} the shipped
 * examples are gone entirely (read when CDI starts, from the process's configuration: a
 * {@code @HelidonTest}'s {@code @AddConfig} comes too late for it, hence a process here).
 */
class FlowJarsTest {

    private static final Duration STARTUP = Duration.ofMinutes(2);
    private static final Path SAMPLE_SOURCES = Path.of("src/it/expense-flows/src/main/java");
    /** Its v2, which the project's default build (its first release) leaves out: see its pom. */
    private static final Path SAMPLE_V2 = SAMPLE_SOURCES.resolve("com/example/expenses/v2");
    private static final String DISCOVERY = FlowDiscovery.class.getName();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NO_DISCOVERY = """
            <beans xmlns="https://jakarta.ee/xml/ns/jakartaee" version="4.0" bean-discovery-mode="none"/>
            """;

    @Test
    void flowJarsAreRegisteredAndNamedWhenLeftOutAndTheSampleFlowRunsEndToEnd(@TempDir Path work) throws Exception {
        Path flows = work.resolve("flows");
        FlowJar.of().sourcesUnder(SAMPLE_SOURCES, SAMPLE_V2).writeTo(flows.resolve("expense-flows.jar"));
        FlowJar.of().minimalFlow("it.off", "SwitchedOffFlow", "switched-off").beansXml(NO_DISCOVERY)
                .writeTo(flows.resolve("off.jar"));
        FlowJar.of().minimalFlow("it.unlisted", "UnlistedFlow", "unlisted-flow").writeTo(flows.resolve("unlisted.jar"));
        Path onClassPath = FlowJar.of().minimalFlow("it.cp", "ClassPathFlow", "class-path-flow")
                .writeTo(work.resolve("cp-flow.jar"));
        Path data = work.resolve("data");

        try (ServiceProcess service = ServiceProcess.start(List.of(onClassPath), List.of(
                "-Dmp.config.profile=dev", "-Dflowguard.data-dir=" + data, "-Dserver.port=0",
                "-Dflowguard.flows.dir=" + flows, "-Dflowguard.agents=manager,finance",
                "-Dflowguard.flows.enabled=expense-approval,class-path-flow",
                // the examples left out entirely: the service campaign-launch calls is not even configured
                "-Dflowguard.flows.examples=false", "-Dflowguard.services.media.url="))) {
            int port = service.awaitPort(STARTUP);

            JsonNode folder = service.lines(DISCOVERY, "INFO").stream()
                    .filter(l -> l.has("flows_dir")).findFirst().orElseThrow();
            assertThat(folder.path("flows_dir").asText(), is(flows.toAbsolutePath().toString()));
            assertThat(folder.path("jars").toString(), is("{\"expense-flows.jar\":[\"expense-approval v1\"],"
                    + "\"off.jar\":[\"switched-off v1\"],\"unlisted.jar\":[\"unlisted-flow v1\"]}"));
            assertThat(folder.path("message").asText(), is("flows dir " + flows.toAbsolutePath()
                    + ": expense-flows.jar (expense-approval v1); off.jar (switched-off v1, not registered: "
                    + "bean-discovery-mode none); unlisted.jar (unlisted-flow v1)"));

            JsonNode off = warningAbout(service, "off.jar");
            assertThat(off.path("flows").toString(), is("[\"switched-off v1\"]"));
            assertThat(off.path("reason").asText(), is("bean-discovery-mode none"));
            JsonNode unlisted = warningAbout(service, "unlisted.jar");
            assertThat(unlisted.path("flows").toString(), is("[\"unlisted-flow v1\"]"));
            assertThat(unlisted.path("reason").asText(), is("not in flowguard.flows.enabled"));

            JsonNode examples = service.lineStartingWith("shipped examples left out").orElseThrow();
            assertThat(examples.path("flows").toString(), is("[\"campaign-launch v1\",\"feature-approval v1\"]"));
            assertThat("only the two JARs' flows are left out with a warning", service.lines().stream()
                    .filter(l -> l.path("level").asText().equals("WARNING")).count(), is(2L));

            JsonNode registered = service.lineStartingWith("flows registered: ").orElseThrow();
            assertThat(registered.path("flows").toString(), is("[{\"flow\":\"class-path-flow\",\"version\":1,"
                    + "\"jar\":\"cp-flow.jar\"},{\"flow\":\"expense-approval\",\"version\":1,\"jar\":\"expense-flows.jar\"}]"));

            String alice = token(data, "alice", "flow-user");
            String mia = token(data, "mia", "agent:manager");
            String base = "http://127.0.0.1:" + port;
            List<String> listed = new ArrayList<>();
            get(base + "/flows", alice).forEach(f -> listed.add(f.path("name").asText()));
            assertThat(listed.stream().sorted().toList(), is(List.of("class-path-flow", "expense-approval")));
            JsonNode example = send(base + "/executions", alice, """
                    {"flow":"feature-approval","input":{"featureName":"x","estimatedCost":1}}""", 422);
            assertThat(example.path("type").asText(), endsWith("unknown-flow"));

            JsonNode started = send(base + "/executions", alice, """
                    {"flow":"expense-approval","input":{"employee":"alice","purpose":"train to Lyon","amount":240}}""", 201);
            String execution = started.path("id").asText();
            JsonNode inbox = get(base + "/agent-requests?execution=" + execution, mia, "wait=20");
            assertThat(inbox.toString(), inbox.size(), is(1));
            assertThat(inbox.get(0).path("step").asText(), is("askManager"));
            JsonNode answered = send(base + "/agent-requests/" + inbox.get(0).path("id").asText() + "/answer", mia,
                    "{\"approved\":true,\"comment\":\"fine\"}", 200, "wait=20");
            assertThat(answered.toString(), answered.path("executionStatus").asText(), is("COMPLETED"));
            JsonNode done = get(base + "/executions/" + execution, alice);
            assertThat(done.path("state").path("approver").asText(), is("manager")); // set by the JAR's own bean
            assertThat(done.path("state").path("decision").asText(), is("APPROVED"));
            assertThat(done.path("state").path("decidedBy").asText(), is("mia"));
            assertThat("every line JSON", service.notJson(), is(empty()));
        }
    }

    @Test
    void aRoleTheFlowAsksForThatIsNotConfiguredRefusesStartupNamingFlowStepAndRole(@TempDir Path work)
            throws Exception {
        Path flows = work.resolve("flows");
        FlowJar.of().sourcesUnder(SAMPLE_SOURCES, SAMPLE_V2).writeTo(flows.resolve("expense-flows.jar"));
        try (ServiceProcess service = ServiceProcess.start(List.of(), List.of("-Dmp.config.profile=dev",
                "-Dflowguard.data-dir=" + work.resolve("data"), "-Dserver.port=0", "-Dflowguard.flows.dir=" + flows,
                "-Dflowguard.flows.examples=false", "-Dflowguard.agents=manager,ceo"))) {
            assertThat(service.awaitExit(STARTUP), is(1));
            List<JsonNode> refusals = service.lines(UnconfiguredRoles.class.getName(), "SEVERE");
            assertThat(refusals.toString(), refusals, hasSize(1));
            JsonNode refusal = refusals.get(0);
            assertThat(refusal.path("flow").asText(), is("expense-approval"));
            assertThat(refusal.path("step").asText(), is("askFinance"));
            assertThat(refusal.path("role").asText(), is("finance"));
            assertThat(refusal.path("configured_roles").toString(), is("[\"ceo\",\"manager\"]"));
            JsonNode cannotStart = service.lineStartingWith("cannot start: ").orElseThrow();
            assertThat(cannotStart.path("message").asText(), containsString(
                    "flow expense-approval, step askFinance asks agent role 'finance', which flowguard.agents does not name"));
            assertThat("every line JSON, no stack trace", service.notJson(), is(empty()));
        }
    }

    private static JsonNode warningAbout(ServiceProcess service, String jar) {
        List<JsonNode> warnings = service.lines().stream()
                .filter(l -> l.path("level").asText().equals("WARNING") && l.path("jar").asText().equals(jar)).toList();
        assertThat(service.lines().toString(), warnings, hasSize(1));
        assertThat(warnings.get(0).path("message").asText(), containsString(jar + " holds flows that are not registered"));
        return warnings.get(0);
    }

    private static String token(Path data, String subject, String group) {
        return DevTokens.mint(DevKeys.loadOrCreate(data), "flowguard-dev", "flowguard", subject, List.of(group),
                Duration.ofMinutes(10));
    }

    private static JsonNode get(String url, String token, String... prefer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
        for (String p : prefer) {
            request.header("Prefer", p);
        }
        try (HttpClient client = http()) {
            return body(client.send(request.build(), HttpResponse.BodyHandlers.ofString()), 200);
        }
    }

    private static JsonNode send(String url, String token, String json, int expected, String... prefer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        for (String p : prefer) {
            request.header("Prefer", p);
        }
        try (HttpClient client = http()) {
            return body(client.send(request.build(), HttpResponse.BodyHandlers.ofString()), expected);
        }
    }

    /**
     * A client per request, so a request never goes out on a kept-alive connection the server is
     * closing for idleness (a POST is not retried): this test is about flows, not connection reuse.
     */
    private static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private static JsonNode body(HttpResponse<String> response, int expected) throws Exception {
        assertThat(response.uri() + " " + response.body(), response.statusCode(), is(expected));
        return JSON.readTree(response.body());
    }
}
