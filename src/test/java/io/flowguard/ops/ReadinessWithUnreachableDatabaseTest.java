package io.flowguard.ops;

import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * A database that refuses connections does not stop the service from starting: it stays live,
 * reports not-ready with a short reason, and the health body leaks no host, port or driver text.
 */
@HelidonTest
@AddConfig(key = "flowguard.db.url", value = "jdbc:postgresql://127.0.0.1:1/flowguard")
@AddConfig(key = "flowguard.db.pool.connection-timeout", value = "PT0.5S")
class ReadinessWithUnreachableDatabaseTest {

    @Inject
    WebTarget target;

    @Test
    void readinessIsDownWithAShortReason() {
        try (Response response = target.path("/health/ready").request().get()) {
            assertThat(response.getStatus(), is(503));
            String raw = response.readEntity(String.class);
            assertThat(raw, not(containsString("127.0.0.1")));
            assertThat(raw, not(containsString("Exception")));
            JsonObject check = ReadinessTracksPendingMigrationsTest.databaseCheck(
                    jakarta.json.Json.createReader(new java.io.StringReader(raw)).readObject());
            assertThat(check.getString("status"), is("DOWN"));
            assertThat(check.getJsonObject("data").getString("status"), is("database unreachable"));
        }
    }

    @Test
    void livenessIsUp() {
        try (Response response = target.path("/health/live").request().get()) {
            assertThat(response.getStatus(), is(200));
        }
    }
}
