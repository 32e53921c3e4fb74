package io.flowguard.ops;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import io.flowguard.engine.Progress;
import io.flowguard.engine.graph.FlowRegistry;
import io.flowguard.service.FlowDiscovery;
import io.flowguard.json.StrictJson;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.ExecutionWrite;
import io.flowguard.store.FlowExecution;
import io.flowguard.testing.FreshStore;
import io.flowguard.testing.MapConfigSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** {@code verify}: a production-like configuration passes; each weakness fails its own line. */
class VerifyCommandTest {

    private static final String DB_SECRET = "s3cret-Horse-Battery-9";

    @TempDir
    Path temp;

    private static Config config(Map<String, String> values) {
        return ConfigProviderResolver.instance().getBuilder().withSources(new MapConfigSource("verify", values)).build();
    }

    private Map<String, String> prodLike() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Path key = temp.resolve("jwt.pem");
        Files.writeString(key, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Path password = Files.writeString(temp.resolve("db-password"), DB_SECRET + "\n");
        Map<String, String> values = new HashMap<>();
        values.put("mp.config.profile", "prod");
        values.put("mp.jwt.verify.publickey.location", key.toString());
        values.put("mp.jwt.verify.issuer", "https://idp.example.com/");
        values.put("mp.jwt.verify.audiences", "flowguard");
        values.put("cors.allowed-origins", "https://app.example.com");
        values.put("flowguard.http.hsts", "max-age=31536000; includeSubDomains");
        values.put("flowguard.db.require-credentials", "true");
        values.put("flowguard.db.url", "jdbc:postgresql://127.0.0.1:1/flowguard"); // nothing listens there
        values.put("flowguard.db.user", "flowguard_app");
        values.put("flowguard.db.password-file", password.toString());
        values.put("flowguard.db.migrate-on-start", "false");
        values.put("flowguard.db.pool.connection-timeout", "PT0.25S"); // so the executions check fails fast
        return values;
    }

    /** The flows of the default configuration, found once: finding them reads the test class path, seconds each time. */
    private static FlowRegistry defaultFlows;

    /** Runs verify, with the flows the service registers by default (the posture checks do not depend on them). */
    private static Result verify(Map<String, String> values) {
        return verify(values, config -> {
            synchronized (VerifyCommandTest.class) {
                if (defaultFlows == null) {
                    defaultFlows = FlowDiscovery.registryWithoutContainer(config(Map.of()));
                }
                return defaultFlows;
            }
        });
    }

    /** Runs verify as the command does, finding the flows for this configuration. */
    private static Result verifyFindingFlows(Map<String, String> values) {
        return verify(values, FlowDiscovery::registryWithoutContainer);
    }

    private static Result verify(Map<String, String> values, Function<Config, FlowRegistry> flows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = VerifyCommand.run(config(values), new PrintStream(bytes, true, StandardCharsets.UTF_8), flows);
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        return new Result(exit, out);
    }

    private record Result(int exit, String out) {
        String line(String check) {
            return out.lines().filter(l -> l.substring(5).startsWith(check + " ")).findFirst().orElseThrow();
        }
    }

    @Test
    void aProductionLikeConfigurationPassesEveryPostureCheckAndFailsWhereItsDatabaseCannotBeRead() throws Exception {
        Result r = verify(prodLike());
        assertThat(r.out(), r.exit(), is(1));
        for (String check : List.of("jwt-key", "jwt-claims", "cors", "hsts", "database", "h2-console", "migrations",
                "rate-limits", "quota", "retention")) {
            assertThat(r.line(check), r.line(check).startsWith("PASS"), is(true));
        }
        assertThat(r.line("jwt-key"), containsString("RSA public key"));
        assertThat(r.line("executions"), startsWith("FAIL executions       cannot read the unfinished executions: "));
        assertThat(r.out(), containsString("verify: 1 of 11 checks failed"));
        assertThat("never a secret", r.out(), not(containsString(DB_SECRET)));
    }

    @Test
    void theExecutionsCheckPassesWhenThisBuildRunsEveryUnfinishedExecutionCountingThemPerFlowVersion() {
        try (FreshStore db = new FreshStore()) {
            insert(db, "feature-approval", 1, List.of("analyze"), Set.of(), false);
            insert(db, "feature-approval", 1, List.of("analyze"), Set.of(), false);
            insert(db, "test-wait", 1, List.of(), Set.of("ask"), false);
            insert(db, "feature-approval", 99, List.of(), Set.of(), true); // finished: never counted

            Result r = verifyFindingFlows(new HashMap<>(db.database().config()));

            assertThat(r.line("executions"), is("PASS executions       3 unfinished (feature-approval v1: 2, "
                    + "test-wait v1: 1), every one runnable on this build's flows"));
        }
    }

    @Test
    void theExecutionsCheckFailsNamingEveryFlowVersionAndStepThisBuildDoesNotRegister() {
        try (FreshStore db = new FreshStore()) {
            insert(db, "feature-approval", 99, List.of("analyze"), Set.of(), false);
            insert(db, "test-wait", 1, List.of(), Set.of("askBeforeRename"), false);
            insert(db, "test-wait", 1, List.of(), Set.of("ask"), false);
            Map<String, String> values = new HashMap<>(db.database().config());

            Result r = verify(values);

            assertThat(r.exit(), is(1));
            assertThat(r.line("executions"), is("FAIL executions       flow feature-approval version 99 is not registered "
                    + "(1 unfinished execution); flow test-wait version 1 has no step askBeforeRename (1 unfinished "
                    + "execution wait at it or will run it) (startup would refuse)"));
            values.put("flowguard.flows.on-missing", "fail-executions");
            assertThat(verify(values).line("executions"), endsWith("(startup would fail them)"));
            assertThat("verify changed nothing", verify(values).line("executions"), startsWith("FAIL"));
        }
    }

    @Test
    void theExecutionsCheckLooksForTheFlowsTheServiceWouldRegister() {
        try (FreshStore db = new FreshStore()) {
            insert(db, "campaign-launch", 1, List.of(), Set.of("askMediaPlanner"), false);
            Map<String, String> values = new HashMap<>(db.database().config());
            values.put("flowguard.flows.examples", "false");

            assertThat(verifyFindingFlows(values).line("executions"), containsString("flow campaign-launch version 1 is not registered"));
            values.put("flowguard.flows.examples", "true");
            values.put("flowguard.flows.enabled", "test-wait");
            assertThat(verifyFindingFlows(values).line("executions"), containsString("flow campaign-launch version 1 is not registered"));
            values.put("flowguard.flows.enabled", "test-wait,campaign-launch");
            values.put("flowguard.agents", "ceo");
            assertThat("the service would not start: a flow asks an unconfigured role", verifyFindingFlows(values).line("executions"),
                    startsWith("FAIL executions       the flows would not register: "));
        }
    }

    /** A row as an earlier build stored it: queued and waiting steps as given, finished or not. */
    private static void insert(FreshStore db, String flow, int version, List<String> queue, Set<String> waiting,
                               boolean finished) {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        String progress = new StrictJson().write(new Progress(queue, Set.of(), Set.copyOf(queue), waiting, 1));
        FlowExecution row = new FlowExecution(UUID.randomUUID(), flow, version, "verify-owner", "{}", progress, now);
        row.scheduleAt(null);
        if (finished) {
            row.moveTo(ExecutionStatus.RUNNING, now);
            row.moveTo(ExecutionStatus.COMPLETED, now);
        }
        db.store().transaction(tx -> {
            tx.insert(new ExecutionWrite(row));
            return null;
        });
    }

    @Test
    void theDevelopmentDefaultsFailWhatIsNotFitForProduction() {
        Map<String, String> dev = new HashMap<>();
        dev.put("mp.jwt.verify.issuer", "flowguard-dev");
        dev.put("mp.jwt.verify.audiences", "flowguard");
        dev.put("flowguard.data-dir", temp.toString());
        dev.put("flowguard.db.migrate-on-start", "true");
        Result r = verify(dev);
        assertThat(r.exit(), is(1));
        assertThat(r.line("jwt-key"), startsWithFail());
        assertThat(r.line("jwt-claims"), containsString("development issuer"));
        assertThat(r.line("hsts"), startsWithFail());
        assertThat(r.line("database"), containsString("embedded H2"));
        assertThat(r.line("migrations"), startsWithFail());
        assertThat(r.line("executions"), containsString("cannot read the unfinished executions"));
        assertThat("verify never creates a database", Files.exists(temp.resolve("flowguard.mv.db")), is(false));
        assertThat("the default origin is localhost: " + r.line("cors"), r.line("cors").startsWith("PASS"), is(true));
    }

    @Test
    void eachWeaknessFailsItsOwnCheck() throws Exception {
        Map<String, Map.Entry<String, String>> weaknesses = new java.util.LinkedHashMap<>();
        weaknesses.put("cors", Map.entry("cors.allowed-origins", "*"));
        weaknesses.put("jwt-key", Map.entry("mp.jwt.verify.publickey.location", temp.resolve("missing.pem").toString()));
        weaknesses.put("hsts", Map.entry("flowguard.http.hsts", "max-age=60"));
        weaknesses.put("rate-limits", Map.entry("flowguard.rate-limit.requests", "1000000"));
        weaknesses.put("quota", Map.entry("flowguard.quota.max-active-executions", "1000000"));
        weaknesses.put("retention", Map.entry("flowguard.retention.enabled", "false"));
        weaknesses.put("h2-console", Map.entry("flowguard.db.url", "jdbc:h2:tcp://db.internal/flowguard"));
        for (var weakness : weaknesses.entrySet()) {
            Map<String, String> values = prodLike();
            values.put(weakness.getValue().getKey(), weakness.getValue().getValue());
            Result r = verify(values);
            assertThat(weakness.getKey(), r.exit(), is(1));
            assertThat(r.line(weakness.getKey()), startsWithFail());
        }
        Map<String, String> tooLarge = prodLike();
        tooLarge.put("flowguard.retention.batch-size", "5000");
        assertThat(verify(tooLarge).line("retention"), containsString("flowguard.retention.batch-size must be 1..1000"));
        for (String password : List.of("postgres", "flowguard_app", "changeme")) {
            Map<String, String> values = prodLike();
            values.remove("flowguard.db.password-file");
            values.put("flowguard.db.password", password);
            Result r = verify(values);
            assertThat(password, r.line("database"), startsWithFail());
            assertThat("never the password", r.line("database"), not(containsString(password + " ")));
        }
    }

    private static org.hamcrest.Matcher<String> startsWithFail() {
        return org.hamcrest.Matchers.startsWith("FAIL");
    }
}
