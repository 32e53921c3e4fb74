package io.flowguard.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import io.flowguard.store.DatabaseVendor;
import org.eclipse.microprofile.config.Config;

/**
 * Where the database is and how to reach it, read once from MicroProfile Config.
 *
 * <p>Without {@code flowguard.db.url} the service uses an embedded H2 file database under
 * {@code flowguard.data-dir}, so a laptop needs nothing installed. Secrets may come from a
 * file ({@code flowguard.db.password-file}, e.g. a mounted secret) instead of the environment.
 * Only H2 and PostgreSQL URLs are accepted: the migrations and the claim SQL are written for
 * exactly those two.
 *
 * @param url         JDBC URL
 * @param user        database user (may be empty for the embedded default)
 * @param password    database password (may be empty for the embedded default)
 * @param vendor      which of the supported databases the URL names
 * @param poolSize    maximum pooled connections
 * @param connectTimeout how long a caller waits for a pooled connection
 */
public record DatabaseSettings(String url, String user, String password, DatabaseVendor vendor,
                               int poolSize, Duration connectTimeout) {

    /** The embedded default's file name inside the data folder. */
    static final String EMBEDDED_DB_NAME = "flowguard";

    /** Never print the password, whatever logs a settings object. */
    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", vendor=" + vendor
                + ", poolSize=" + poolSize + "]";
    }

    /**
     * Reads the settings.
     *
     * @param config the application configuration
     * @return the settings
     * @throws IllegalStateException naming the key that is missing or wrong
     */
    public static DatabaseSettings from(Config config) {
        if (config.getOptionalValue("flowguard.db.require-credentials", Boolean.class).orElse(false)) {
            requireCredentials(config);
        }
        String url = config.getOptionalValue("flowguard.db.url", String.class)
                .filter(s -> !s.isBlank())
                .orElseGet(() -> embeddedUrl(config));
        DatabaseVendor vendor = DatabaseVendor.ofUrl(url);
        String user = config.getOptionalValue("flowguard.db.user", String.class).orElse("");
        String password = Secrets.read(config, "flowguard.db.password").orElse("");
        int poolSize = config.getOptionalValue("flowguard.db.pool.max-size", Integer.class).orElse(10);
        if (poolSize < 1 || poolSize > 500) {
            throw new IllegalStateException("flowguard.db.pool.max-size must be between 1 and 500, was " + poolSize);
        }
        Duration timeout = config.getOptionalValue("flowguard.db.pool.connection-timeout", Duration.class)
                .orElse(Duration.ofSeconds(5));
        return new DatabaseSettings(url, user, password, vendor, poolSize, timeout);
    }

    /**
     * The prod profile's rule: no falling back to an embedded database or an empty password.
     * The message names every missing key, never a value.
     */
    private static void requireCredentials(Config config) {
        java.util.List<String> missing = missingCredentials(config);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("refusing to start: this profile requires " + String.join(", ", missing));
        }
    }

    /**
     * @param config the configuration
     * @return the database settings a production start needs and does not have, each with its
     *         environment variable (never a value)
     */
    public static java.util.List<String> missingCredentials(Config config) {
        java.util.List<String> missing = new java.util.ArrayList<>();
        if (config.getOptionalValue("flowguard.db.url", String.class).filter(s -> !s.isBlank()).isEmpty()) {
            missing.add("flowguard.db.url (FLOWGUARD_DB_URL)");
        }
        if (config.getOptionalValue("flowguard.db.user", String.class).filter(s -> !s.isBlank()).isEmpty()) {
            missing.add("flowguard.db.user (FLOWGUARD_DB_USER)");
        }
        if (Secrets.read(config, "flowguard.db.password").filter(s -> !s.isBlank()).isEmpty()) {
            missing.add("flowguard.db.password (FLOWGUARD_DB_PASSWORD or FLOWGUARD_DB_PASSWORD_FILE)");
        }
        return missing;
    }

    private static String embeddedUrl(Config config) {
        Path dataDir = Path.of(config.getOptionalValue("flowguard.data-dir", String.class).orElse("data"));
        Path file = dataDir.toAbsolutePath().normalize().resolve(EMBEDDED_DB_NAME);
        return "jdbc:h2:file:" + file.toString().replace('\\', '/');
    }
}
