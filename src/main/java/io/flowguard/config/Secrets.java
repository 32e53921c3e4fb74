package io.flowguard.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;

/**
 * Reads secrets (database passwords, service tokens) from configuration, where a deployment can
 * give either the value ({@code FLOWGUARD_DB_PASSWORD}) or a file holding it
 * ({@code FLOWGUARD_DB_PASSWORD_FILE}, e.g. a mounted Kubernetes or Docker secret).
 */
public final class Secrets {

    private Secrets() {
    }

    /**
     * A secret from {@code key}, or else from the file named by {@code key + "-file"}.
     * A configured file that cannot be read is an error, never a silent empty secret.
     *
     * @param config the configuration
     * @param key    the secret's key
     * @return the secret, if configured
     */
    public static Optional<String> read(Config config, String key) {
        Optional<String> direct = config.getOptionalValue(key, String.class);
        if (direct.isPresent()) {
            return direct;
        }
        return config.getOptionalValue(key + "-file", String.class).map(Secrets::readFile);
    }

    private static String readFile(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read secret file " + file + ": " + e.getClass().getSimpleName());
        }
    }
}
