package io.flowguard.store;

import io.flowguard.service.PooledDataSourceFactory;

import io.flowguard.config.DatabaseSettings;

import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.TestDatabase;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Hibernate validates the migrated schema against the entities and never alters it: a database
 * whose table lost a mapped column keeps the service not-ready, and the column stays missing.
 */
@HelidonTest
class SchemaValidationTest {

    private static final TestDatabase DB = brokenDatabase();

    private static TestDatabase brokenDatabase() {
        TestDatabase db = TestDatabase.fresh();
        Map<String, String> values = db.config();
        DatabaseSettings settings = DatabaseSettings.from(
                org.eclipse.microprofile.config.spi.ConfigProviderResolver.instance().getBuilder()
                        .withSources(new MapConfigSource("schema-validation", values)).build());
        try (HikariDataSource ds = PooledDataSourceFactory.create(settings, "schema-validation");
             Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            new SchemaMigrator(ds, settings.vendor()).migrate();
            s.execute("ALTER TABLE flow_execution DROP COLUMN error_type");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return db;
    }

    @AddConfigSource
    static ConfigSource brokenSchema() {
        Map<String, String> values = new HashMap<>(DB.config());
        values.put("flowguard.db.migrate-on-start", "true");
        return new MapConfigSource("schema-validation", values);
    }

    @Inject
    WebTarget target;

    @Test
    void mismatchedSchemaKeepsTheServiceNotReadyAndIsNotRepaired() throws Exception {
        try (Response response = target.path("/health/ready").request().get()) {
            assertThat(response.getStatus(), is(503));
            JsonObject check = response.readEntity(JsonObject.class).getJsonArray("checks")
                    .getValuesAs(JsonObject.class).get(0);
            assertThat(check.getJsonObject("data").getString("status"), is("schema does not match"));
        }
        try (Connection c = DB.connect();
             var rs = c.getMetaData().getColumns(null, null, null, null)) {
            boolean found = false;
            while (rs.next()) {
                if (rs.getString("TABLE_NAME").equalsIgnoreCase("flow_execution")
                        && rs.getString("COLUMN_NAME").equalsIgnoreCase("error_type")) {
                    found = true;
                }
            }
            assertThat("Hibernate must not recreate the dropped column", found, is(false));
        }
    }
}
