package io.flowguard.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

/**
 * What the deployment check and {@code GET /flows} read of the unfinished executions
 * ({@code PENDING}, {@code RUNNING}, {@code WAITING_AGENT}): counts grouped in SQL, so what comes
 * back grows with the number of distinct flow versions and points in a flow, never with the number
 * of executions; and, for an operator who chose to fail the ones this build cannot run, their ids
 * in batches, each batch taken up where the last one ended.
 *
 * <p>No index serves these reads, on purpose: an index of unfinished rows would have
 * {@code status} in its {@code WHERE} and take an entry from every step commit, to speed up a read
 * made once per start (see the operations guide, "Indexes and HOT updates"). Each read is one scan
 * of {@code flow_execution} (and of the pending {@code agent_request} rows), the statements the
 * same on H2 and PostgreSQL.
 */
public final class UnfinishedExecutions {

    private static final String OPEN = "status IN ('PENDING', 'RUNNING', 'WAITING_AGENT')";

    private static final String BY_VERSION = "SELECT flow, flow_version, COUNT(*) FROM flow_execution WHERE " + OPEN
            + " GROUP BY flow, flow_version";

    /** Executions at the same point of the same flow version share one progress value: one row for them all. */
    private static final String BY_PROGRESS = "SELECT flow, flow_version, progress, COUNT(*) FROM flow_execution WHERE "
            + OPEN + " GROUP BY flow, flow_version, progress";

    private static final String BY_OPEN_REQUEST = "SELECT e.flow, e.flow_version, r.step, COUNT(*)"
            + " FROM agent_request r JOIN flow_execution e ON e.id = r.execution_id"
            + " WHERE r.status = 'PENDING' AND e." + OPEN + " GROUP BY e.flow, e.flow_version, r.step";

    private static final String OF_VERSION = "SELECT id, version FROM flow_execution WHERE flow = ? AND flow_version = ?"
            + " AND " + OPEN;
    private static final String WITH_PROGRESS = OF_VERSION + " AND progress = ?";
    private static final String ASKING_AT = "SELECT e.id, e.version FROM flow_execution e"
            + " JOIN agent_request r ON r.execution_id = e.id AND r.status = 'PENDING' AND r.step = ?"
            + " WHERE e.flow = ? AND e.flow_version = ? AND e." + OPEN;

    private final DataSource dataSource;

    /** @param dataSource a pool (connections auto-commit when handed out) */
    public UnfinishedExecutions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Unfinished executions of one flow version.
     *
     * @param flow    the stored flow name
     * @param version the stored version
     * @param count   how many
     */
    public record OfVersion(String flow, int version, long count) {
    }

    /**
     * Unfinished executions of one flow version at one point in it (the same progress).
     *
     * @param flow     the stored flow name
     * @param version  the stored version
     * @param progress their stored progress (queued steps, fired triggers, waits)
     * @param count    how many
     */
    public record AtProgress(String flow, int version, String progress, long count) {
    }

    /**
     * Pending agent requests of unfinished executions of one flow version, asked by one step.
     *
     * @param flow    the stored flow name
     * @param version the stored version
     * @param step    the asking step, as stored
     * @param count   how many
     */
    public record AskingAt(String flow, int version, String step, long count) {
    }

    /**
     * An execution to fail, with the version it was found at: one that changed since has moved on,
     * and is left alone.
     *
     * @param id      the execution
     * @param version its row's {@code version}
     */
    public record Found(UUID id, long version) {
    }

    /**
     * @return unfinished executions counted per flow and version, any version stored
     * @throws StoreException on a database error
     */
    public List<OfVersion> byVersion() {
        return query(BY_VERSION, List.of(), rs -> new OfVersion(rs.getString(1), rs.getInt(2), rs.getLong(3)));
    }

    /**
     * @return unfinished executions counted per flow, version and progress
     * @throws StoreException on a database error
     */
    public List<AtProgress> byProgress() {
        return query(BY_PROGRESS, List.of(),
                rs -> new AtProgress(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4)));
    }

    /**
     * @return pending agent requests of unfinished executions counted per flow, version and asking step
     * @throws StoreException on a database error
     */
    public List<AskingAt> byOpenRequest() {
        return query(BY_OPEN_REQUEST, List.of(),
                rs -> new AskingAt(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4)));
    }

    /**
     * @param flow    a stored flow name
     * @param version a stored version
     * @param after   the last id of the previous batch, or null for the first
     * @param limit   the most to return
     * @return unfinished executions of that version, by id
     */
    public List<Found> ofVersion(String flow, int version, UUID after, int limit) {
        return batch(OF_VERSION, "id", after, limit, flow, version);
    }

    /**
     * @param flow     a stored flow name
     * @param version  a stored version
     * @param progress a stored progress value
     * @param after    the last id of the previous batch, or null for the first
     * @param limit    the most to return
     * @return unfinished executions of that version with exactly that progress, by id
     */
    public List<Found> withProgress(String flow, int version, String progress, UUID after, int limit) {
        return batch(WITH_PROGRESS, "id", after, limit, flow, version, progress);
    }

    /**
     * @param flow    a stored flow name
     * @param version a stored version
     * @param step    an asking step, as stored
     * @param after   the last id of the previous batch, or null for the first
     * @param limit   the most to return
     * @return unfinished executions of that version with a pending request of that step, by id
     */
    public List<Found> askingAt(String flow, int version, String step, UUID after, int limit) {
        return batch(ASKING_AT, "e.id", after, limit, step, flow, version);
    }

    private List<Found> batch(String select, String id, UUID after, int limit, Object... values) {
        List<Object> parameters = new ArrayList<>(List.of(values));
        StringBuilder sql = new StringBuilder(select);
        if (after != null) {
            sql.append(" AND ").append(id).append(" > ?");
            parameters.add(after);
        }
        sql.append(" ORDER BY ").append(id).append(" LIMIT ?");
        parameters.add(limit);
        return query(sql.toString(), parameters, rs -> new Found(rs.getObject(1, UUID.class), rs.getLong(2)));
    }

    /** Reads one row of a result. */
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> parameters, Row<T> row) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                ps.setObject(i + 1, parameters.get(i));
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException("reading unfinished executions failed", e);
        }
    }
}
