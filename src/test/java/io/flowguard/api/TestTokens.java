package io.flowguard.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkRSA;

/** A real RSA key pair for the test run and tokens signed with it. */
final class TestTokens {

    static final String ISSUER = "flowguard-test";
    static final String AUDIENCE = "flowguard";
    static final KeyPair KEYS = generate();
    static final Path PUBLIC_KEY_FILE = writePublicKey();

    private TestTokens() {
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path writePublicKey() {
        try {
            Path file = Files.createTempFile("flowguard-test-jwt", ".pem");
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(KEYS.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            Files.writeString(file, pem);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the settings that make a test service trust {@link #KEYS} */
    static java.util.Map<String, String> config() {
        return java.util.Map.of(
                "mp.jwt.verify.publickey.location", PUBLIC_KEY_FILE.toString(),
                "mp.jwt.verify.issuer", ISSUER,
                "mp.jwt.verify.audiences", AUDIENCE);
    }

    static String token(String subject, String... groups) {
        Instant now = Instant.now();
        Jwt jwt = Jwt.builder()
                .issuer(ISSUER)
                .addAudience(AUDIENCE)
                .subject(subject)
                .addPayloadClaim("upn", subject)
                .addPayloadClaim("groups", List.of(groups))
                .issueTime(now)
                .notBefore(now)
                .expirationTime(now.plusSeconds(300))
                .keyId("test")
                .algorithm(JwkRSA.ALG_RS256)
                .build();
        JwkRSA jwk = JwkRSA.builder().privateKey((RSAPrivateKey) KEYS.getPrivate())
                .publicKey((RSAPublicKey) KEYS.getPublic()).algorithm(JwkRSA.ALG_RS256).keyId("test").build();
        return SignedJwt.sign(jwt, jwk).tokenContent();
    }
}
