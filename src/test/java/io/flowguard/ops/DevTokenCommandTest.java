package io.flowguard.ops;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.flowguard.security.DevKeys;
import io.flowguard.testing.MapConfigSource;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.security.jwt.jwk.JwkRSA;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** dev-token mints a token the dev key verifies, with the configured issuer and audience; prod refuses it. */
class DevTokenCommandTest {

    @TempDir
    Path dataDir;

    private Config config(String profile) {
        Map<String, String> values = new HashMap<>();
        values.put("mp.config.profile", profile);
        values.put("flowguard.data-dir", dataDir.toString());
        values.put("mp.jwt.verify.issuer", "flowguard-dev");
        values.put("mp.jwt.verify.audiences", "flowguard");
        return ConfigProviderResolver.instance().getBuilder().withSources(new MapConfigSource("dev-token", values)).build();
    }

    private static String[] run(Config config, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DevTokenCommand.run(config, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8).strip(),
                err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void aDevTokenVerifiesWithTheGeneratedPublicKeyAndCarriesItsClaims() throws Exception {
        String[] result = run(config("dev"), "--subject", "alice", "--groups", "flow-user,agent:ceo");

        assertThat(result[0], is("0"));
        SignedJwt signed = SignedJwt.parseToken(result[1]);
        DevKeys keys = DevKeys.loadOrCreate(dataDir);
        JwkKeys verifier = JwkKeys.builder().addKey(JwkRSA.builder().publicKey(keys.publicKey())
                .algorithm(JwkRSA.ALG_RS256).keyId("flowguard-dev").build()).build();
        assertThat(signed.verifySignature(verifier).isValid(), is(true));
        assertThat(signed.getJwt().subject().orElseThrow(), is("alice"));
        assertThat(signed.getJwt().issuer().orElseThrow(), is("flowguard-dev"));
        assertThat(signed.getJwt().audience().orElseThrow(), is(List.of("flowguard")));
        assertThat(signed.getJwt().algorithm().orElseThrow(), is("RS256"));
        assertThat(Files.exists(dataDir.resolve(DevKeys.PRIVATE_FILE)), is(true));
    }

    @Test
    void theKeyPairIsGeneratedOnceAndReused() {
        DevKeys first = DevKeys.loadOrCreate(dataDir);
        DevKeys second = DevKeys.loadOrCreate(dataDir);

        assertThat(second.publicKey().getModulus(), is(first.publicKey().getModulus()));
    }

    @Test
    void theProdProfileRefusesToMintTokens() {
        String[] result = run(config("prod"), "--subject", "alice", "--groups", "flow-user");

        assertThat(result[0], is("2"));
        assertThat(result[2], containsString("refused in the prod profile"));
        assertThat(Files.exists(dataDir.resolve(DevKeys.PRIVATE_FILE)), is(false));
    }

    @Test
    void malformedOptionsAreRefused() {
        assertThat(run(config("dev"), "--subject")[0], is("2"));
        assertThat(run(config("dev"), "--subject", "a b", "--groups", "flow-user")[0], is("2"));
        assertThat(run(config("dev"), "--who", "x")[0], is("2"));
    }
}
