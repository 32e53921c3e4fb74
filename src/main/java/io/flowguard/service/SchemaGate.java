package io.flowguard.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

import javax.sql.DataSource;

import io.flowguard.config.DatabaseSettings;
import io.flowguard.store.DatabaseStatus;
import io.flowguard.store.OneLineError;
import io.flowguard.store.SchemaMigrator;
import io.flowguard.store.Store;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Decides whether the database is fit to serve: reachable, migrated, and matching the entities
 * (Hibernate's own schema validation, run here once the database answers).
 *
 * <p>It applies migrations at startup when {@code flowguard.db.migrate-on-start} is true, and
 * retries on each check while the database is unreachable, so a database that comes up after
 * the service still gets migrated. Each change of status is logged once, as one line; the
 * health endpoint only ever shows the short reason (no host names or SQL to anonymous callers).
 */
@ApplicationScoped
public class SchemaGate {

    private static final Logger LOG = Logger.getLogger(SchemaGate.class.getName());

    private final DataSource dataSource;
    private final SchemaMigrator migrator;
    private final boolean migrateOnStart;
    private final Store store;
    private final AtomicReference<DatabaseStatus> last = new AtomicReference<>();
    private volatile boolean migrated;
    private volatile boolean validated;

    @Inject
    SchemaGate(@Named(DataSourceProducer.NAME) DataSource dataSource,
               DatabaseSettings settings,
               @ConfigProperty(name = "flowguard.db.migrate-on-start", defaultValue = "false") boolean migrateOnStart,
               Store store) {
        this.dataSource = dataSource;
        this.migrator = new SchemaMigrator(dataSource, settings.vendor());
        this.migrateOnStart = migrateOnStart;
        this.store = store;
    }

    /** Runs the first check at startup, before the engine and the API take work. */
    void onStart(@Observes @Priority(10) @Initialized(ApplicationScoped.class) Object event) {
        check();
    }

    /**
     * Checks the database now.
     *
     * @return ready, or the reason it is not
     */
    public synchronized DatabaseStatus check() {
        Outcome outcome = evaluate();
        DatabaseStatus previous = last.getAndSet(outcome.status());
        if (previous == null || !previous.equals(outcome.status())) {
            if (outcome.status().ready()) {
                LOG.info("database ready");
            } else {
                LOG.warning("database not ready: " + outcome.status().reason() + ": " + outcome.detail());
            }
        }
        return outcome.status();
    }

    /** @return true when the last check found the database ready */
    public boolean isReady() {
        DatabaseStatus status = last.get();
        return status != null && status.ready();
    }

    private Outcome evaluate() {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(5)) {
                return down("database unreachable", "connection is not valid");
            }
        } catch (SQLException | RuntimeException e) {
            return down("database unreachable", OneLineError.of(e));
        }
        if (migrateOnStart && !migrated) {
            try {
                int applied = migrator.migrate();
                migrated = true;
                LOG.info("migrations applied at start: " + applied);
            } catch (RuntimeException e) {
                return down("migration failed", OneLineError.of(e));
            }
        }
        List<String> pending;
        try {
            pending = migrator.pending();
        } catch (RuntimeException e) {
            return down("migration state unknown", OneLineError.of(e));
        }
        if (!pending.isEmpty()) {
            return down("migrations pending", "versions " + String.join(", ", pending)
                    + " are not applied; run the migrate command or set flowguard.db.migrate-on-start");
        }
        if (!validated) {
            try {
                store.validateSchema();
                validated = true;
            } catch (RuntimeException e) {
                return down("schema does not match", OneLineError.of(e));
            }
        }
        return new Outcome(DatabaseStatus.READY, "");
    }

    private static Outcome down(String reason, String detail) {
        return new Outcome(DatabaseStatus.notReady(reason), detail);
    }

    /** A status and the detail that goes to the log only. */
    private record Outcome(DatabaseStatus status, String detail) {
    }

}
