package io.flowguard.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The row count of every table Flowguard writes, read over a plain connection to the shared test
 * database: hostile tests take one before and after a refused request to show that nothing was
 * written.
 *
 * @param counts table name to row count
 */
public record RowCounts(Map<String, Long> counts) {

    private static final String[] TABLES = {
        "flow_execution", "execution_event", "agent_request", "idempotency_key", "owner_quota"};

    /** @return the counts now */
    public static RowCounts now() {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = TestDatabase.shared().connect(); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(active_count), 0) FROM owner_quota")) {
                rs.next();
                counts.put("owner_quota.active_count", rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count rows", e);
        }
        return new RowCounts(Map.copyOf(counts));
    }
}
