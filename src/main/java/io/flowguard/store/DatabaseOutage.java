package io.flowguard.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

import org.hibernate.exception.JDBCConnectionException;

/**
 * Recognises, in an exception's cause chain, that the database could not be reached: the one
 * failure a caller should simply retry (503 with {@code Retry-After}), not an internal error.
 *
 * <p>Precisely, never "any RuntimeException": the pool timed out waiting for a connection
 * (HikariCP's {@link SQLTransientConnectionException}); the driver lost or could not open its
 * connection (SQLState class 08, which JDBC also raises as
 * {@link SQLNonTransientConnectionException}, as H2 does for a broken connection); PostgreSQL is
 * shutting down or starting up (57P01, 57P02, 57P03); or Hibernate's translation of any of
 * these ({@link JDBCConnectionException}). A constraint violation, a serialization failure or a
 * query timeout is not an outage.
 */
public final class DatabaseOutage {

    /** PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now. */
    private static final Set<String> SERVER_GOING_AWAY = Set.of("57P01", "57P02", "57P03");

    private DatabaseOutage() {
    }

    /**
     * @param failure anything a request or a transaction threw
     * @return true when it, or any cause of it, says the database is unreachable
     */
    public static boolean isCause(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof JDBCConnectionException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || SERVER_GOING_AWAY.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
