package io.flowguard.ops;

import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The packaged service starts on the test database and answers its health endpoints over HTTP. */
@HelidonTest
class ServiceStartsTest {

    @Inject
    WebTarget target;

    @Test
    void livenessIsUpWithoutAuthentication() {
        try (Response response = target.path("/health/live").request().get()) {
            assertThat(response.getStatus(), is(200));
            assertThat(response.readEntity(JsonObject.class).getString("status"), is("UP"));
        }
    }

    @Test
    void readinessIsUpOnceTheDatabaseIsMigrated() {
        try (Response response = target.path("/health/ready").request().get()) {
            assertThat(response.getStatus(), is(200));
            JsonObject body = response.readEntity(JsonObject.class);
            assertThat(body.getString("status"), is("UP"));
            JsonObject database = body.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                    .filter(c -> c.getString("name").equals("database"))
                    .findFirst().orElseThrow();
            assertThat(database.getString("status"), is("UP"));
        }
    }
}
