package io.flowguard.store;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies and inspects the Flyway migration history that ships inside the JAR.
 *
 * <p>One history serves H2 and PostgreSQL: {@code db/migration} holds the shared SQL and
 * {@code db/vendor/<vendor>} the few statements only one database understands. Flyway's
 * {@code clean} is disabled so that no command of ours can drop a schema.
 */
public final class SchemaMigrator {

    /** Shared migrations, packaged from the top-level {@code db/migration} folder. */
    static final String SHARED_LOCATION = "classpath:db/migration";
    /** Vendor-only migrations; versions must not collide with the shared ones. */
    static final String VENDOR_LOCATION = "classpath:db/vendor/";

    private final Flyway flyway;

    /**
     * @param dataSource where to migrate
     * @param vendor     which vendor folder to include
     */
    public SchemaMigrator(DataSource dataSource, DatabaseVendor vendor) {
        this.flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations(SHARED_LOCATION, VENDOR_LOCATION + vendor.folderName())
                .cleanDisabled(true)
                .failOnMissingLocations(false)
                .validateMigrationNaming(true)
                .load();
    }

    /**
     * Applies every pending migration; a second run applies nothing.
     *
     * @return how many migrations were applied
     */
    public int migrate() {
        MigrateResult result = flyway.migrate();
        return result.migrationsExecuted;
    }

    /**
     * @return the versions not yet applied to the database (empty when the schema is current)
     */
    public java.util.List<String> pending() {
        MigrationInfo[] pending = flyway.info().pending();
        java.util.List<String> versions = new java.util.ArrayList<>(pending.length);
        for (MigrationInfo info : pending) {
            versions.add(String.valueOf(info.getVersion()));
        }
        return versions;
    }
}
