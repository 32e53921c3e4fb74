package io.flowguard.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.Map;

import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** An ES256 (P-256) verification key from config: its tokens pass, RS256 and forged ones do not. */
@HelidonTest
class Es256KeyTest {

    private static final KeyPair EC = ForgedTokens.ecKeyPair();

    @AddConfigSource
    static ConfigSource jwt() throws IOException {
        Path pem = Files.createTempFile("flowguard-es256", ".pem");
        Files.writeString(pem, ForgedTokens.pem(EC.getPublic()));
        pem.toFile().deleteOnExit();
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.put("mp.jwt.verify.publickey.location", pem.toString());
        return new MapConfigSource("jwt-es256", values);
    }

    @Inject
    WebTarget target;

    private int status(String token) {
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + token).get()) {
            return r.getStatus();
        }
    }

    @Test
    void es256TokensSignedByTheConfiguredKeyPass() {
        assertThat(status(ForgedTokens.es256(EC.getPrivate(), ForgedTokens.validClaims("erin", "flow-user"))), is(200));
    }

    @Test
    void otherKeysAndAlgorithmsAreRefused() {
        var claims = ForgedTokens.validClaims("erin", "flow-user");
        assertThat("another EC key", status(ForgedTokens.es256(ForgedTokens.ecKeyPair().getPrivate(), claims)), is(401));
        assertThat("RS256 from the RSA test key", status(TestTokens.token("erin", "flow-user")), is(401));
        assertThat("HS256 keyed with the EC public key",
                status(ForgedTokens.hs256(EC.getPublic().getEncoded(), claims)), is(401));
        assertThat("ES384 label on an ES256 signature",
                status(ForgedTokens.sign("SHA256withECDSAinP1363Format", EC.getPrivate(),
                        ForgedTokens.header("ES384"), claims)), is(401));
    }
}
