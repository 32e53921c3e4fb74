package io.flowguard.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.IntConsumer;

import javax.sql.DataSource;

/**
 * The SQL that hands executions to workers: claiming with a lease, and heartbeats. Written out
 * here, one statement per job, so that it can be audited; each runs in its own auto-committed
 * statement, outside any step transaction.
 *
 * <p>A claim takes a row that is runnable now ({@code PENDING}/{@code RUNNING}, due) and whose
 * lease is free or expired, and sets the lease. Neither a claim, a heartbeat nor a release bumps
 * {@code version}: the version counts changes to what the execution is, the lease says who may
 * change it. The step fence ({@link StoreTransaction#commitStep}) checks both, so a worker whose
 * lease expired, or was taken over while the new owner runs the same step, commits nothing.
 */
public final class LeaseStore {

    /**
     * PostgreSQL: one statement. {@code FOR UPDATE SKIP LOCKED} lets concurrent workers on any
     * number of instances claim disjoint rows without waiting on each other; the partial index
     * {@code ix_flow_execution_due} serves the inner query, which also hands back the previous
     * lease owner (non-null: the lease of a dead or stalled worker is being reclaimed).
     */
    static final String CLAIM_POSTGRES = """
            WITH c AS (SELECT id, lease_owner AS previous FROM flow_execution
                        WHERE status IN ('PENDING', 'RUNNING')
                          AND next_run_at <= ?
                          AND (lease_expires_at IS NULL OR lease_expires_at < ?)
                        ORDER BY next_run_at
                        LIMIT ?
                        FOR UPDATE SKIP LOCKED)
            UPDATE flow_execution f
               SET lease_owner = ?, lease_expires_at = ?
              FROM c
             WHERE f.id = c.id
            RETURNING f.id, c.previous""";

    /** H2, step 1: candidates, read without locks. */
    private static final String CANDIDATES_H2 = """
            SELECT id, version, lease_owner FROM flow_execution
             WHERE status IN ('PENDING', 'RUNNING')
               AND next_run_at <= ?
               AND (lease_expires_at IS NULL OR lease_expires_at < ?)
             ORDER BY next_run_at
             LIMIT ?""";

    /** H2, step 2: claim one candidate only if nobody changed or leased it since it was read. */
    private static final String CLAIM_H2 = """
            UPDATE flow_execution
               SET lease_owner = ?, lease_expires_at = ?
             WHERE id = ? AND version = ?
               AND (lease_expires_at IS NULL OR lease_expires_at < ?)""";

    /** Extends a lease this worker still holds; no version bump, so it never fences its own commit. */
    private static final String HEARTBEAT = """
            UPDATE flow_execution SET lease_expires_at = ?
             WHERE id = ? AND lease_owner = ? AND lease_expires_at > ?""";

    /** Lets go of a lease this worker holds (fairness, shutdown); no version bump either. */
    private static final String RELEASE = """
            UPDATE flow_execution SET lease_owner = NULL, lease_expires_at = NULL
             WHERE id = ? AND lease_owner = ?""";

    private final DataSource dataSource;
    private final DatabaseVendor vendor;
    private final IntConsumer reclaimed;

    /**
     * @param dataSource a pool (statements auto-commit)
     * @param vendor     which SQL to use
     * @param reclaimed  told how many claims took an execution whose lease another worker let
     *                   expire (it died or stalled), for the lease-reclaims metric
     */
    public LeaseStore(DataSource dataSource, DatabaseVendor vendor, IntConsumer reclaimed) {
        this.dataSource = dataSource;
        this.vendor = vendor;
        this.reclaimed = reclaimed;
    }

    /**
     * Claims up to {@code limit} runnable executions.
     *
     * @param worker    the claiming worker's id
     * @param now       the current time
     * @param expiresAt when the lease lapses without a heartbeat
     * @param limit     the most to claim
     * @return the claimed executions' ids
     * @throws StoreException on a database error
     */
    public List<UUID> claim(String worker, Instant now, Instant expiresAt, int limit) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            int[] reclaims = new int[1];
            List<UUID> claimed = vendor == DatabaseVendor.POSTGRESQL
                    ? claimPostgres(c, worker, now, expiresAt, limit, reclaims)
                    : claimH2(c, worker, now, expiresAt, limit, reclaims);
            if (reclaims[0] > 0) {
                reclaimed.accept(reclaims[0]);
            }
            return claimed;
        } catch (SQLException e) {
            throw new StoreException("claim failed", e);
        }
    }

    private static List<UUID> claimPostgres(Connection c, String worker, Instant now, Instant expiresAt, int limit,
                                            int[] reclaims) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CLAIM_POSTGRES)) {
            ps.setObject(1, ts(now));
            ps.setObject(2, ts(now));
            ps.setInt(3, limit);
            ps.setString(4, worker);
            ps.setObject(5, ts(expiresAt));
            List<UUID> claimed = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getObject(1, UUID.class));
                    if (rs.getString(2) != null) {
                        reclaims[0]++;
                    }
                }
            }
            return claimed;
        }
    }

    private static List<UUID> claimH2(Connection c, String worker, Instant now, Instant expiresAt, int limit,
                                      int[] reclaims) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        List<Boolean> leased = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(CANDIDATES_H2)) {
            ps.setObject(1, ts(now));
            ps.setObject(2, ts(now));
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                    versions.add(rs.getLong(2));
                    leased.add(rs.getString(3) != null);
                }
            }
        }
        List<UUID> claimed = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(CLAIM_H2)) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setString(1, worker);
                ps.setObject(2, ts(expiresAt));
                ps.setObject(3, ids.get(i));
                ps.setLong(4, versions.get(i));
                ps.setObject(5, ts(now));
                if (ps.executeUpdate() == 1) {
                    claimed.add(ids.get(i));
                    if (leased.get(i)) {
                        reclaims[0]++;
                    }
                }
            }
        }
        return claimed;
    }

    /**
     * Extends a lease.
     *
     * @param executionId the execution
     * @param worker      the worker that should hold it
     * @param now         the current time
     * @param expiresAt   the new expiry
     * @return false when the worker no longer holds the lease
     * @throws StoreException on a database error
     */
    public boolean heartbeat(UUID executionId, String worker, Instant now, Instant expiresAt) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(HEARTBEAT)) {
            c.setAutoCommit(true);
            ps.setObject(1, ts(expiresAt));
            ps.setObject(2, executionId);
            ps.setString(3, worker);
            ps.setObject(4, ts(now));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("heartbeat failed", e);
        }
    }

    /**
     * Lets go of a lease, if this worker still holds it.
     *
     * @param executionId the execution
     * @param worker      the worker that holds it
     * @throws StoreException on a database error
     */
    public void release(UUID executionId, String worker) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RELEASE)) {
            c.setAutoCommit(true);
            ps.setObject(1, executionId);
            ps.setString(2, worker);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("release failed", e);
        }
    }

    /**
     * @param executionId an execution
     * @return who holds its lease now (null: nobody, or no such execution)
     * @throws StoreException on a database error
     */
    public String leaseOwner(UUID executionId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT lease_owner FROM flow_execution WHERE id = ?")) {
            c.setAutoCommit(true);
            ps.setObject(1, executionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new StoreException("reading a lease failed", e);
        }
    }

    private static OffsetDateTime ts(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
