package io.flowguard.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.flowguard.security.DevKeys;
import io.flowguard.security.DevTokens;

/** A real RSA key pair for the test run (made like the dev profile's) and tokens signed with it. */
final class TestTokens {

    static final String ISSUER = "flowguard-test";
    static final String AUDIENCE = "flowguard";
    private static final Path DIR = tempDir();
    static final DevKeys KEYS = DevKeys.loadOrCreate(DIR);
    static final Path PUBLIC_KEY_FILE = DevKeys.publicKeyFile(DIR);

    private TestTokens() {
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("flowguard-test-jwt");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the settings that make a test service trust {@link #KEYS} */
    static Map<String, String> config() {
        return Map.of(
                "mp.jwt.verify.publickey.location", PUBLIC_KEY_FILE.toString(),
                "mp.jwt.verify.issuer", ISSUER,
                "mp.jwt.verify.audiences", AUDIENCE);
    }

    static String token(String subject, String... groups) {
        return DevTokens.mint(KEYS, ISSUER, AUDIENCE, subject, List.of(groups), Duration.ofMinutes(5));
    }
}
