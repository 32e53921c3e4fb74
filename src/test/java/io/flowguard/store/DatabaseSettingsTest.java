package io.flowguard.store;

import io.flowguard.config.DatabaseSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.flowguard.testing.MapConfigSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How database settings are read: the embedded default, secrets from files, and the prod rule. */
class DatabaseSettingsTest {

    @TempDir
    Path temp;

    @Test
    void withoutAUrlTheEmbeddedH2FileLivesInTheDataFolder() {
        DatabaseSettings settings = DatabaseSettings.from(config(Map.of("flowguard.data-dir", temp.toString())));

        assertThat(settings.vendor(), is(DatabaseVendor.H2));
        assertThat(settings.url(), is("jdbc:h2:file:" + temp.toAbsolutePath().resolve("flowguard")));
        assertThat(settings.url(), not(containsString("AUTO_SERVER")));
    }

    @Test
    void passwordIsReadFromAFileWhenNotGivenDirectly() throws Exception {
        Path secret = Files.writeString(temp.resolve("pw"), "s3cret-from-file\n");

        DatabaseSettings settings = DatabaseSettings.from(config(Map.of(
                "flowguard.db.url", "jdbc:postgresql://127.0.0.1:5432/x",
                "flowguard.db.password-file", secret.toString())));

        assertThat(settings.password(), is("s3cret-from-file"));
        assertThat(settings.vendor(), is(DatabaseVendor.POSTGRESQL));
    }

    @Test
    void anUnreadablePasswordFileIsAnErrorNotAnEmptyPassword() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DatabaseSettings.from(config(Map.of(
                "flowguard.db.password-file", temp.resolve("missing").toString()))));

        assertThat(e.getMessage(), containsString("cannot read secret file"));
    }

    @Test
    void requiredCredentialsNameEveryMissingKeyAndNoValue() {
        Map<String, String> values = new HashMap<>();
        values.put("flowguard.db.require-credentials", "true");
        values.put("flowguard.db.url", "jdbc:postgresql://127.0.0.1:5432/x");

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DatabaseSettings.from(config(values)));

        assertThat(e.getMessage(), allOf(containsString("flowguard.db.user"), containsString("flowguard.db.password"),
                not(containsString("flowguard.db.url"))));
    }

    @Test
    void requiredCredentialsAreSatisfiedByUrlUserAndPassword() {
        DatabaseSettings settings = DatabaseSettings.from(config(Map.of(
                "flowguard.db.require-credentials", "true",
                "flowguard.db.url", "jdbc:postgresql://127.0.0.1:5432/x",
                "flowguard.db.user", "flowguard",
                "flowguard.db.password", "pw")));

        assertThat(settings.user(), is("flowguard"));
        assertThat(settings.toString(), not(containsString("pw]")));
    }

    @Test
    void onlyH2AndPostgresqlUrlsAreAccepted() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DatabaseSettings.from(config(Map.of("flowguard.db.url", "jdbc:mysql://h/x"))));

        assertThat(e.getMessage(), containsString("flowguard.db.url"));
    }

    @Test
    void thePoolSizeIsBounded() {
        assertThrows(IllegalStateException.class, () -> DatabaseSettings.from(config(Map.of(
                "flowguard.db.pool.max-size", "0"))));
    }

    private static Config config(Map<String, String> values) {
        return ConfigProviderResolver.instance().getBuilder()
                .withSources(new MapConfigSource("settings-test", values))
                .build();
    }
}
