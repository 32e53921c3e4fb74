package io.flowguard.ops;

import java.io.File;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.flowguard.testing.MapConfigSource;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The real entry point, in its own process, with the product's classpath (no test
 * configuration), refuses to start and says why in one line: the prod profile without its
 * secrets (naming every missing one at once), and a flow calling a service with no URL. Every
 * line it writes is a JSON log line (the service's formatter), the refusal a {@code SEVERE} one.
 */
class StartRefusalTest {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    @Test
    void theServiceInProdWithoutSecretsRefusesNamingWhatIsMissing() throws Exception {
        String refusal = refusal("-Dmp.config.profile=prod");
        assertThat(refusal, startsWith("refusing to start (profile prod): missing "));
        for (String named : List.of("FLOWGUARD_DB_URL", "FLOWGUARD_DB_USER", "FLOWGUARD_DB_PASSWORD_FILE",
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_ISSUER")) {
            assertThat(refusal, containsString(named));
        }
    }

    @Test
    void aFlowCallingAnUnconfiguredServiceRefusesStartup(@TempDir Path data) throws Exception {
        String refusal = refusal("-Dmp.config.profile=dev", "-Dflowguard.data-dir=" + data, "-Dserver.port=0",
                "-Dflowguard.services.media.url=");
        assertThat(refusal, is("cannot start: IllegalStateException: outbound services are not configured: "
                + "flowguard.services.media.url is not set (service media is called by flow campaign-launch)"));
    }

    @Test
    void anOnMissingValueThatIsNeitherChoiceRefusesStartupNamingTheKeyAndTheAllowedValues(@TempDir Path data)
            throws Exception {
        String refusal = refusal("-Dmp.config.profile=dev", "-Dflowguard.data-dir=" + data, "-Dserver.port=0",
                "-Dflowguard.flows.on-missing=ignore");
        assertThat(refusal, is("refusing to start: flowguard.flows.on-missing must be one of refuse, "
                + "fail-executions, was 'ignore'"));
    }

    /**
     * Runs the service with {@code options}; expects it to end on its own with exit code 1, no
     * stack trace, every line of its output a JSON object.
     *
     * @return the message of its one {@code SEVERE} line, from the entry point's logger
     */
    private static String refusal(String... options) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run(options).split("\n", -1)) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line)); // throws on anything that is not one JSON value
            }
        }
        assertThat("every line an object: " + lines, lines.stream().allMatch(JsonNode::isObject), is(true));
        List<JsonNode> severe = lines.stream().filter(l -> l.path("level").asText().equals("SEVERE")).toList();
        assertThat(lines.toString(), severe.size(), is(1));
        assertThat(severe.get(0).path("logger").asText(), is(FlowguardMain.class.getName()));
        return severe.get(0).path("message").asText();
    }

    private static String run(String... options) throws Exception {
        String classpath = Arrays.stream(System.getProperty("surefire.test.class.path",
                        System.getProperty("java.class.path")).split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", classpath));
        command.addAll(List.of(options));
        command.add("io.flowguard.ops.FlowguardMain");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("FLOWGUARD_") || k.startsWith("MP_JWT"));
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the service did not refuse; it kept running");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output, process.exitValue(), is(1));
        assertThat("no stack trace", output, not(containsString("\tat ")));
        return output;
    }

    @Test
    void everythingGivenMeansNothingMissing() {
        Map<String, String> prod = Map.of("flowguard.db.require-credentials", "true", "flowguard.auth.require-key", "true",
                "flowguard.db.url", "jdbc:postgresql://db/flowguard", "flowguard.db.user", "app",
                "flowguard.db.password", "x", "mp.jwt.verify.publickey.location", "/run/secrets/jwt.pem",
                "mp.jwt.verify.issuer", "https://idp", "mp.jwt.verify.audiences", "flowguard");
        assertThat(StartupRequirements.missing(ConfigProviderResolver.instance().getBuilder()
                .withSources(new MapConfigSource("prod", prod)).build()), is(empty()));
        assertThat(StartupRequirements.missing(ConfigProviderResolver.instance().getBuilder()
                .withSources(new MapConfigSource("dev", Map.of())).build()), is(empty()));
    }

    @Test
    void aTokenFromAnyHeaderButAuthorizationIsRefusedInEveryProfile() {
        for (String header : new String[] {"Cookie", "X-Token", " cookie "}) {
            assertThat(header, StartupRequirements.refused(ConfigProviderResolver.instance().getBuilder()
                    .withSources(new MapConfigSource("any", Map.of("mp.jwt.token.header", header))).build()),
                    hasSize(1));
        }
        for (String header : new String[] {"Authorization", "authorization", ""}) {
            assertThat(header, StartupRequirements.refused(ConfigProviderResolver.instance().getBuilder()
                    .withSources(new MapConfigSource("any", Map.of("mp.jwt.token.header", header))).build()),
                    is(empty()));
        }
        assertThat(StartupRequirements.refused(ConfigProviderResolver.instance().getBuilder()
                .withSources(new MapConfigSource("none", Map.of())).build()), is(empty()));
    }

    @Test
    void aFlowsFolderThatIsNotAReadableFolderIsRefused(@TempDir Path dir) throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("flows.jar"), "x");
        for (Path bad : List.of(dir.resolve("missing"), file)) {
            assertThat(bad.toString(), StartupRequirements.refused(ConfigProviderResolver.instance().getBuilder()
                    .withSources(new MapConfigSource("flows", Map.of("flowguard.flows.dir", bad.toString()))).build()),
                    is(List.of("flowguard.flows.dir " + bad.toAbsolutePath() + " is not a readable folder")));
        }
        for (String fine : new String[] {dir.toString(), " "}) {
            assertThat(StartupRequirements.refused(ConfigProviderResolver.instance().getBuilder()
                    .withSources(new MapConfigSource("flows", Map.of("flowguard.flows.dir", fine))).build()), is(empty()));
        }
    }
}
