package io.flowguard.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

/**
 * The retention SQL, the same on H2 and PostgreSQL: a cluster-wide lease on the
 * {@code maintenance_lease} row, and deletes of at most {@code limit} rows per transaction.
 *
 * <p>Children go before their executions (events, agent requests, idempotency keys, then the
 * executions themselves), so the {@code ON DELETE CASCADE} behind the executions finds nothing
 * left and no transaction deletes more rows than its limit. Only finished executions
 * ({@code COMPLETED, FAILED, CANCELLED, TIMED_OUT}) are ever touched; nothing changes them once
 * finished, so their children cannot grow during a sweep. The sweep that drives it is
 * {@code io.flowguard.retention.RetentionSweeper}.
 */
public final class RetentionStore {

    private static final String JOB = "retention";

    private static final String FINISHED = "f.status IN ('COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT')"
            + " AND f.finished_at < ?";

    /**
     * The deletes, in the order a sweep runs them: each picks at most a batch of keys, then
     * deletes those rows by key in the same transaction. Joins, not {@code IN (subquery)}: H2
     * 2.2 can return a row twice from {@code IN (subquery) ... LIMIT}.
     */
    public enum Delete {
        /** History events of old finished executions. */
        EVENTS("execution_event",
                "SELECT ev.id FROM execution_event ev JOIN flow_execution f ON f.id = ev.execution_id WHERE "
                        + FINISHED + " LIMIT ?",
                "DELETE FROM execution_event WHERE id = ?"),
        /** Agent requests of old finished executions. */
        AGENT_REQUESTS("agent_request",
                "SELECT r.id FROM agent_request r JOIN flow_execution f ON f.id = r.execution_id WHERE "
                        + FINISHED + " LIMIT ?",
                "DELETE FROM agent_request WHERE id = ?"),
        /** Idempotency keys naming old finished executions. */
        KEYS_OF_EXECUTIONS("idempotency_key",
                "SELECT k.owner, k.idem_key FROM idempotency_key k JOIN flow_execution f ON f.id = k.execution_id"
                        + " WHERE " + FINISHED + " LIMIT ?",
                "DELETE FROM idempotency_key WHERE owner = ? AND idem_key = ?"),
        /** Idempotency keys expired before the cutoff given (the sweep gives it the current time). */
        EXPIRED_KEYS("idempotency_key",
                "SELECT k.owner, k.idem_key FROM idempotency_key k WHERE k.expires_at < ? LIMIT ?",
                "DELETE FROM idempotency_key WHERE owner = ? AND idem_key = ?"),
        /** Old finished executions, once their children are gone. */
        EXECUTIONS("flow_execution",
                "SELECT f.id FROM flow_execution f WHERE " + FINISHED + " LIMIT ?",
                "DELETE FROM flow_execution WHERE id = ?");

        private final String table;
        private final String select;
        private final String delete;

        Delete(String table, String select, String delete) {
            this.table = table;
            this.select = select;
            this.delete = delete;
        }

        /** @return the table it deletes from (a metric tag) */
        public String table() {
            return table;
        }
    }

    private static final String ACQUIRE = """
            UPDATE maintenance_lease SET owner = ?, expires_at = ?
             WHERE name = ? AND (owner = ? OR owner IS NULL OR expires_at < ?)""";

    private static final String RENEW = """
            UPDATE maintenance_lease SET expires_at = ?
             WHERE name = ? AND owner = ? AND expires_at > ?""";

    private static final String RELEASE = """
            UPDATE maintenance_lease SET owner = NULL, expires_at = ? WHERE name = ? AND owner = ?""";

    private final DataSource dataSource;

    /** @param dataSource a pool (connections auto-commit when handed out) */
    public RetentionStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Takes the cluster-wide retention lease if it is free, expired, or already {@code owner}'s.
     *
     * @param owner the sweeping instance
     * @param now   the current time
     * @param until when the lease lapses
     * @return true when {@code owner} now holds the lease until {@code until}
     * @throws StoreException on a database error
     */
    public boolean acquire(String owner, Instant now, Instant until) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ACQUIRE)) {
            c.setAutoCommit(true);
            ps.setString(1, owner);
            ps.setObject(2, ts(until));
            ps.setString(3, JOB);
            ps.setString(4, owner);
            ps.setObject(5, ts(now));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("taking the retention lease failed", e);
        }
    }

    /**
     * Lets go of the lease, so the next sweep anywhere may start at once.
     *
     * @param owner the instance that holds it
     * @param now   the current time
     * @throws StoreException on a database error
     */
    public void release(String owner, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RELEASE)) {
            c.setAutoCommit(true);
            ps.setObject(1, ts(now));
            ps.setString(2, JOB);
            ps.setString(3, owner);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("releasing the retention lease failed", e);
        }
    }

    /**
     * Deletes one batch in one transaction that also renews the lease; if the lease was lost
     * (expired and taken), nothing is deleted.
     *
     * @param delete the delete to run
     * @param owner  the instance that should hold the lease
     * @param cutoff finished before this (or, for expired keys, expiring before it)
     * @param limit  the most rows to delete
     * @param now    the current time
     * @param until  the lease's new expiry
     * @return rows deleted, or -1 when the lease was lost
     * @throws StoreException on a database error (the batch is rolled back)
     */
    public int deleteBatch(Delete delete, String owner, Instant cutoff, int limit, Instant now, Instant until) {
        try (Connection c = dataSource.getConnection()) {
            return deleteBatch(c, delete, owner, cutoff, limit, now, until);
        } catch (SQLException e) {
            throw new StoreException("a retention batch failed (rolled back)", e);
        }
    }

    private static int deleteBatch(Connection c, Delete delete, String owner, Instant cutoff, int limit, Instant now,
                                   Instant until) throws SQLException {
        c.setAutoCommit(false);
        try {
            try (PreparedStatement renew = c.prepareStatement(RENEW)) {
                renew.setObject(1, ts(until));
                renew.setString(2, JOB);
                renew.setString(3, owner);
                renew.setObject(4, ts(now));
                if (renew.executeUpdate() != 1) {
                    c.rollback();
                    return -1;
                }
            }
            int deleted = 0;
            try (PreparedStatement pick = c.prepareStatement(delete.select);
                 PreparedStatement remove = c.prepareStatement(delete.delete)) {
                pick.setObject(1, ts(cutoff));
                pick.setInt(2, limit);
                try (ResultSet keys = pick.executeQuery()) {
                    int columns = keys.getMetaData().getColumnCount();
                    while (keys.next()) {
                        for (int i = 1; i <= columns; i++) {
                            remove.setObject(i, keys.getObject(i));
                        }
                        remove.addBatch();
                    }
                }
                for (int count : remove.executeBatch()) {
                    deleted += Math.max(count, 0);
                }
            }
            c.commit();
            return deleted;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static OffsetDateTime ts(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
