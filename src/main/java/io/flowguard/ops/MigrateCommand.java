package io.flowguard.ops;

import java.io.PrintStream;
import java.util.Optional;

import com.zaxxer.hikari.HikariDataSource;
import io.flowguard.store.DatabaseVendor;
import io.flowguard.config.DatabaseSettings;
import io.flowguard.store.OneLineError;
import io.flowguard.service.PooledDataSourceFactory;
import io.flowguard.store.RuntimeRoleGrants;
import io.flowguard.store.SchemaMigrator;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * {@code java -jar flowguard.jar migrate}: applies pending migrations to the configured database,
 * prints how many, and returns non-zero on any failure. A second run applies nothing.
 *
 * <p>It runs without starting the server or CDI, so CI and deploy pipelines can migrate with the
 * owner role before the service (running as a lesser role) starts.
 */
public final class MigrateCommand {

    private MigrateCommand() {
    }

    /**
     * Migrates the database named by the application configuration.
     *
     * @param out where the result goes
     * @param err where a failure goes (one line, no stack trace)
     * @return the process exit code
     */
    public static int run(PrintStream out, PrintStream err) {
        return run(ConfigProvider.getConfig(), out, err);
    }

    /**
     * Migrates the database named by {@code config}.
     *
     * @param config configuration to read the database settings from
     * @param out    where the result goes
     * @param err    where a failure goes
     * @return the process exit code
     */
    public static int run(Config config, PrintStream out, PrintStream err) {
        DatabaseSettings settings;
        try {
            settings = DatabaseSettings.from(config);
        } catch (RuntimeException e) {
            err.println("migrate: configuration error: " + e.getMessage());
            return 2;
        }
        try (HikariDataSource dataSource = PooledDataSourceFactory.create(settings, "flowguard-migrate")) {
            int applied = new SchemaMigrator(dataSource, settings.vendor()).migrate();
            out.println("migrate: applied " + applied + " migration(s) to " + settings.vendor().folderName()
                    + "; schema is current");
            Optional<String> role = config.getOptionalValue("flowguard.db.runtime-role", String.class)
                    .filter(r -> !r.isBlank());
            if (role.isPresent()) {
                if (settings.vendor() != DatabaseVendor.POSTGRESQL) {
                    out.println("migrate: flowguard.db.runtime-role applies to PostgreSQL only; nothing granted");
                } else {
                    String schema = RuntimeRoleGrants.grant(dataSource, role.get());
                    out.println("migrate: granted " + role.get() + " read and write on the tables of schema " + schema
                            + " (no DDL)");
                }
            }
            return 0;
        } catch (RuntimeException | java.sql.SQLException e) {
            err.println("migrate: failed: " + OneLineError.of(e));
            return 1;
        }
    }

}
