package io.flowguard.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the database holds for some owners (token subjects), read over a plain connection to the
 * shared test database: their executions (count, summed versions, statuses), history events,
 * agent requests (all, pending), idempotency keys and quota counters. Hostile tests take one
 * before and after a refused request to show that nothing was written or changed.
 *
 * <p>Scoped to owners because the suite shares one database: executions other test classes left
 * behind may still be moving.
 *
 * @param counts what was counted, by name
 */
public record RowCounts(Map<String, Long> counts) {

    private static final Map<String, String> QUERIES = queries();

    private static Map<String, String> queries() {
        String mine = "SELECT id FROM flow_execution WHERE owner IN (%s)";
        Map<String, String> q = new LinkedHashMap<>();
        q.put("executions", "SELECT COUNT(*) FROM flow_execution WHERE owner IN (%s)");
        q.put("execution versions", "SELECT COALESCE(SUM(version), 0) FROM flow_execution WHERE owner IN (%s)");
        q.put("finished executions", "SELECT COUNT(*) FROM flow_execution WHERE owner IN (%s) AND finished_at IS NOT NULL");
        q.put("events", "SELECT COUNT(*) FROM execution_event WHERE execution_id IN (" + mine + ")");
        q.put("agent requests", "SELECT COUNT(*) FROM agent_request WHERE execution_id IN (" + mine + ")");
        q.put("pending agent requests", "SELECT COUNT(*) FROM agent_request WHERE status = 'PENDING' AND execution_id IN ("
                + mine + ")");
        q.put("idempotency keys", "SELECT COUNT(*) FROM idempotency_key WHERE owner IN (%s)");
        q.put("quota slots", "SELECT COALESCE(SUM(active_count), 0) FROM owner_quota WHERE owner IN (%s)");
        return q;
    }

    /**
     * @param name what was counted
     * @return its count
     */
    public long get(String name) {
        return counts.get(name);
    }

    /**
     * @param owners the subjects whose rows to count
     * @return the counts now
     */
    public static RowCounts of(String... owners) {
        String marks = String.join(", ", java.util.Collections.nCopies(owners.length, "?"));
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = TestDatabase.shared().connect()) {
            for (Map.Entry<String, String> query : QUERIES.entrySet()) {
                String sql = query.getValue().replace("%s", marks);
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    List<String> params = List.of(owners);
                    for (int i = 0; i < params.size(); i++) {
                        s.setString(i + 1, params.get(i));
                    }
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        counts.put(query.getKey(), rs.getLong(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count rows", e);
        }
        return new RowCounts(Map.copyOf(counts));
    }
}
