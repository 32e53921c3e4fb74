package io.flowguard.ops;

import java.util.HashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.flowguard.config.DatabaseSettings;
import io.flowguard.service.PooledDataSourceFactory;
import io.flowguard.store.SchemaMigrator;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.TestDatabase;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * With migrate-on-start off and an empty database, the service runs but is not ready, saying
 * why; once an operator migrates, it becomes ready without a restart.
 */
@HelidonTest
class ReadinessTracksPendingMigrationsTest {

    private static final TestDatabase DB = TestDatabase.fresh();

    @AddConfigSource
    static ConfigSource ownEmptyDatabase() {
        Map<String, String> values = new HashMap<>(DB.config());
        values.put("flowguard.db.migrate-on-start", "false");
        return new MapConfigSource("pending-migrations", values);
    }

    @Inject
    WebTarget target;

    @Inject
    Config config;

    @Test
    void notReadyWhileMigrationsArePendingThenReadyAfterMigrate() {
        JsonObject before = ready(503);
        assertThat(databaseCheck(before).getString("status"), is("DOWN"));
        assertThat(databaseCheck(before).getJsonObject("data").getString("status"), is("migrations pending"));

        try (HikariDataSource ds = PooledDataSourceFactory.create(DatabaseSettings.from(config), "test-migrate")) {
            new SchemaMigrator(ds, DatabaseSettings.from(config).vendor()).migrate();
        }

        JsonObject after = ready(200);
        assertThat(databaseCheck(after).getString("status"), is("UP"));
    }

    @Test
    void livenessStaysUpWhileNotReady() {
        try (Response response = target.path("/health/live").request().get()) {
            assertThat(response.getStatus(), is(200));
        }
    }

    private JsonObject ready(int expectedStatus) {
        try (Response response = target.path("/health/ready").request().get()) {
            assertThat(response.getStatus(), is(expectedStatus));
            return response.readEntity(JsonObject.class);
        }
    }

    static JsonObject databaseCheck(JsonObject health) {
        return health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals("database"))
                .findFirst().orElseThrow();
    }
}
