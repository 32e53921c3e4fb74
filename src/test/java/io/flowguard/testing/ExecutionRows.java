package io.flowguard.testing;

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

/**
 * Every column of every row the shared test database holds for one owner's executions: the
 * executions, their history and their agent requests, and the owner's quota counter. Equal
 * pictures before and after a call mean it wrote nothing and changed nothing (where
 * {@link RowCounts} counts, this compares each value: a flow version or a step renamed shows).
 *
 * @param tables rows by table name, each row its columns by name
 */
public record ExecutionRows(Map<String, List<Map<String, Object>>> tables) {

    private static final String MINE = "SELECT id FROM flow_execution WHERE owner = ?";
    private static final Map<String, String> QUERIES = Map.of(
            "flow_execution", "SELECT * FROM flow_execution WHERE owner = ? ORDER BY id",
            "execution_event", "SELECT * FROM execution_event WHERE execution_id IN (" + MINE + ") ORDER BY id",
            "agent_request", "SELECT * FROM agent_request WHERE execution_id IN (" + MINE + ") ORDER BY id",
            "owner_quota", "SELECT * FROM owner_quota WHERE owner = ?");

    /**
     * @param owner whose rows
     * @return them, as they are now
     */
    public static ExecutionRows of(String owner) {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        try (Connection c = TestDatabase.shared().connect()) {
            for (Map.Entry<String, String> query : QUERIES.entrySet()) {
                tables.put(query.getKey(), rows(c, query.getValue(), owner));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the rows of " + owner, e);
        }
        return new ExecutionRows(tables);
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
}
