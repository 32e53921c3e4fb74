package io.flowguard.ops;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The packaged profiles say what the README says: dev is the default and migrates at start, prod
 * requires its database credentials, binds all interfaces and leaves migration to the command.
 */
class ProfilesTest {

    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = ProfilesTest.class.getClassLoader().getResourceAsStream("META-INF/" + name)) {
            assertThat(name + " is packaged", in != null, is(true));
            p.load(in);
        }
        return p;
    }

    @Test
    void devIsTheDefaultProfileAndMigratesAtStart() throws IOException {
        assertThat(load("microprofile-config.properties").getProperty("mp.config.profile"), is("dev"));
        assertThat(load("microprofile-config-dev.properties").getProperty("flowguard.db.migrate-on-start"), is("true"));
    }

    @Test
    void prodRequiresCredentialsAndDoesNotMigrateAtStart() throws IOException {
        Properties prod = load("microprofile-config-prod.properties");
        assertThat(prod.getProperty("flowguard.db.require-credentials"), is("true"));
        assertThat(prod.getProperty("flowguard.auth.require-key"), is("true"));
        assertThat("prod has no token issuer until it is configured", prod.getProperty("mp.jwt.verify.issuer"),
                is((String) null));
        assertThat(load("microprofile-config.properties").getProperty("mp.jwt.verify.issuer"), is((String) null));
        assertThat(prod.getProperty("flowguard.db.migrate-on-start"), is("false"));
        assertThat(prod.getProperty("server.host"), is("0.0.0.0"));
        assertThat("no secret is packaged", prod.getProperty("flowguard.db.password"), is((String) null));
    }

    @Test
    void everyKeyInTheBaseFileIsPrecededByAComment() throws IOException {
        try (InputStream in = ProfilesTest.class.getClassLoader()
                .getResourceAsStream("META-INF/microprofile-config.properties")) {
            String previous = "";
            for (String line : new String(in.readAllBytes()).lines().toList()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    assertThat("commented: " + line, previous.startsWith("#"), is(true));
                }
                previous = line;
            }
        }
    }
}
