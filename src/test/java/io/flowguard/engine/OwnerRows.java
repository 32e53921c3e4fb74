package io.flowguard.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

/**
 * Every row a harness database holds for one owner, column by column: its executions, their
 * history and agent requests, its idempotency keys and its quota counter. A test takes one before
 * and one after a refused call; equal pictures mean the call wrote nothing and changed nothing.
 *
 * @param tables rows by table name, each row its columns by name
 */
record OwnerRows(Map<String, List<Map<String, Object>>> tables) {

    private static final String MINE = "SELECT id FROM flow_execution WHERE owner = ?";
    private static final Map<String, String> QUERIES = Map.of(
            "flow_execution", "SELECT * FROM flow_execution WHERE owner = ? ORDER BY id",
            "execution_event", "SELECT * FROM execution_event WHERE execution_id IN (" + MINE + ") ORDER BY id",
            "agent_request", "SELECT * FROM agent_request WHERE execution_id IN (" + MINE + ") ORDER BY id",
            "idempotency_key", "SELECT * FROM idempotency_key WHERE owner = ? ORDER BY idem_key",
            "owner_quota", "SELECT * FROM owner_quota WHERE owner = ?");

    /**
     * @param dataSource the harness's database
     * @param owner      whose rows
     * @return them, as they are now
     */
    static OwnerRows of(DataSource dataSource, String owner) {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (Map.Entry<String, String> query : QUERIES.entrySet()) {
                tables.put(query.getKey(), rows(c, query.getValue(), owner));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the rows of " + owner, e);
        }
        return new OwnerRows(tables);
    }

    private static List<Map<String, Object>> rows(Connection c, String sql, String owner) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, owner);
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /**
     * @param table a table name
     * @return how many rows of the owner it holds
     */
    int count(String table) {
        return tables.get(table).size();
    }

    /** @return the owner's quota slots in use, as its counter says */
    int quotaSlots() {
        List<Map<String, Object>> quota = tables.get("owner_quota");
        return quota.isEmpty() ? 0 : ((Number) quota.get(0).get("active_count")).intValue();
    }
}
