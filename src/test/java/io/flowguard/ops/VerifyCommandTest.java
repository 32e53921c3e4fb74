package io.flowguard.ops;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.flowguard.testing.MapConfigSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

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
        values.put("flowguard.db.url", "jdbc:postgresql://db.internal:5432/flowguard");
        values.put("flowguard.db.user", "flowguard_app");
        values.put("flowguard.db.password-file", password.toString());
        values.put("flowguard.db.migrate-on-start", "false");
        return values;
    }

    private static Result verify(Map<String, String> values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = VerifyCommand.run(config(values), new PrintStream(bytes, true, StandardCharsets.UTF_8));
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
    void aProductionLikeConfigurationPassesEveryCheck() throws Exception {
        Result r = verify(prodLike());
        assertThat(r.out(), r.exit(), is(0));
        for (String check : List.of("jwt-key", "jwt-claims", "cors", "hsts", "database", "h2-console", "migrations",
                "rate-limits", "quota", "retention")) {
            assertThat(r.line(check), r.line(check).startsWith("PASS"), is(true));
        }
        assertThat(r.line("jwt-key"), containsString("RSA public key"));
        assertThat(r.out(), containsString("verify: all 10 checks passed"));
        assertThat("never a secret", r.out(), not(containsString(DB_SECRET)));
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
