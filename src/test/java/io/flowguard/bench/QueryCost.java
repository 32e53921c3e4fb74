package io.flowguard.bench;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.flowguard.store.DatabaseVendor;
import io.flowguard.store.LeaseStore;
import io.flowguard.store.SchemaMigrator;
import io.flowguard.store.UnfinishedExecutions;

/**
 * What the store's statements cost as executions pile up: {@code --query-cost=1000,100000} fills a
 * fresh, migrated PostgreSQL database with that many executions parked in {@code WAITING_AGENT}
 * (each with its pending request), as many finished ones spread over the last 60 days (each with
 * its answered request) and 8 due ones, vacuums and analyzes it as autovacuum would, then runs
 * each statement under {@code EXPLAIN (ANALYZE, BUFFERS, WAL)} in a transaction it rolls back, planned
 * the three ways the server may plan it (see {@link Plan}). Prints one {@code bench=query-cost} line
 * per count, statement and plan: time, buffers touched, rows the top node returned, WAL bytes
 * written and the indexes (or sequential scans) the plan used. The claim must cost the same at
 * every count.
 */
final class QueryCost {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DUE = 8;
    private static final String STATE = "{\"featureName\":\"bench\",\"description\":\"benchmark\",\"estimatedCost\":2000000,"
            + "\"complexity\":5,\"summary\":\"bench: estimated cost 2000000, complexity 5\",\"decision\":null,"
            + "\"decidedBy\":null,\"comment\":null}";
    private static final String WAITING = "{\"queue\":[],\"fired\":[\"analyze\",\"ceo_approval\"],"
            + "\"activated\":[\"analyze\",\"route\",\"askCeo\"],\"waiting\":[\"askCeo\"],\"attempt\":1}";

    /** A statement as the engine sends it, with the values it binds. */
    private record Query(String name, String sql, Object... params) {
    }

    private QueryCost() {
    }

    /**
     * @param parkedCounts how many executions to park, one fresh database each
     * @return the result lines
     */
    static List<Map<String, Object>> run(List<Integer> parkedCounts) throws Exception {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int parked : parkedCounts) {
            Path folder = Files.createTempDirectory("flowguard-query-cost");
            try (BenchDatabase db = BenchDatabase.create("postgresql", folder)) {
                try (HikariDataSource pool = db.pool(2)) {
                    new SchemaMigrator(pool, DatabaseVendor.POSTGRESQL).migrate();
                }
                Instant now = Instant.now();
                try (Connection c = db.connect()) {
                    fill(c, parked, now);
                    for (Query q : queries(now, any(c, "WAITING_AGENT"), any(c, "COMPLETED"), any(c, "PENDING"))) {
                        for (Plan plan : Plan.values()) {
                            lines.add(line(parked, q, plan, explain(c, q, plan)));
                        }
                    }
                }
            }
        }
        return lines;
    }

    /**
     * The statements of the engine's paths that read more than one row by its key.
     *
     * @param waiting  a parked execution
     * @param finished a finished one
     * @param due      a due one, unleased
     */
    private static List<Query> queries(Instant now, UUID waiting, UUID finished, UUID due)
            throws ReflectiveOperationException {
        String commit = "update flow_execution set status=?,progress=?,last_event_seq=?,lease_owner=?,lease_expires_at=?,"
                + "next_run_at=?,error_type=?,error=?,updated_at=?,finished_at=?,version=(version+1) "
                + "where id=? and version=?";
        return List.of(
                // LeaseStore's own text, so that this measures the claim as it is
                new Query("claim", leaseStoreSql("CLAIM_POSTGRES"), ts(now), ts(now), DUE, "query-cost",
                        ts(now.plusSeconds(30))),
                // what the claimer's poll does most of the time: nothing is due
                new Query("claim-idle", leaseStoreSql("CLAIM_POSTGRES"), ts(now.minusSeconds(2)), ts(now.minusSeconds(2)),
                        DUE, "query-cost", ts(now.plusSeconds(30))),
                // the rest as Hibernate renders StoreTransaction's JPQL on PostgreSQL (seen with log_statement=all);
                // a step's commit that keeps the execution running and due as it was, and one that parks it
                new Query("commit-step", commit, "RUNNING", "{}", 2, "query-cost", ts(now.plusSeconds(30)),
                        ts(now.minusSeconds(1)), null, null, ts(now), null, due, 4),
                new Query("commit-park", commit, "WAITING_AGENT", WAITING, 2, null, null, null, null, null, ts(now), null,
                        due, 4),
                new Query("deadline-sweep", "select ar1_0.id from agent_request ar1_0 where ar1_0.status=? "
                        + "and ar1_0.deadline<=? order by ar1_0.deadline fetch first ? rows only", "PENDING", ts(now), 100),
                new Query("inbox", "select ar1_0.* from agent_request ar1_0 where ar1_0.agent_role in (?) "
                        + "and ar1_0.status=? order by ar1_0.deadline fetch first ? rows only", "ceo", "PENDING", 200),
                new Query("inbox-of-execution", "select ar1_0.* from agent_request ar1_0 where ar1_0.agent_role in (?) "
                        + "and ar1_0.status=? and ar1_0.execution_id=? order by ar1_0.deadline fetch first ? rows only",
                        "ceo", "PENDING", waiting, 200),
                new Query("last-answered", "select ar1_0.* from agent_request ar1_0 where ar1_0.execution_id=? "
                        + "and ar1_0.step in (?) and ar1_0.status=? order by ar1_0.answered_at desc fetch first ? rows only",
                        finished, "askCeo", "ANSWERED", 1),
                new Query("close-open-requests", "update agent_request set status=?,version=(version+1) "
                        + "where execution_id=? and status=?", "CANCELLED", waiting, "PENDING"),
                new Query("list-by-owner", "select fe1_0.* from flow_execution fe1_0 where 1=1 and fe1_0.owner=? "
                        + "order by fe1_0.created_at desc,fe1_0.id offset ? rows fetch first ? rows only", "owner-7", 0, 50),
                new Query("list-by-owner-and-status", "select fe1_0.* from flow_execution fe1_0 where 1=1 "
                        + "and fe1_0.owner=? and fe1_0.status=? order by fe1_0.created_at desc,fe1_0.id "
                        + "offset ? rows fetch first ? rows only", "owner-7", "WAITING_AGENT", 0, 50),
                new Query("gauge-active", "select count(fe1_0.id) from flow_execution fe1_0 where fe1_0.status in (?,?,?)",
                        "PENDING", "RUNNING", "WAITING_AGENT"),
                new Query("gauge-pending-requests", "select count(ar1_0.id) from agent_request ar1_0 where ar1_0.status=?",
                        "PENDING"),
                // the deployment check (at each start and by verify) and GET /flows: UnfinishedExecutions' own text
                new Query("deploy-check-by-progress", unfinishedSql("BY_PROGRESS")),
                new Query("deploy-check-by-open-request", unfinishedSql("BY_OPEN_REQUEST")),
                new Query("flows-unfinished-by-version", unfinishedSql("BY_VERSION")),
                new Query("gauge-runnable", "select count(fe1_0.id) from flow_execution fe1_0 where fe1_0.status in (?,?) "
                        + "and fe1_0.next_run_at<=? and (fe1_0.lease_expires_at is null or fe1_0.lease_expires_at<?)",
                        "PENDING", "RUNNING", ts(now), ts(now)),
                // RetentionStore's selects: the events' and the executions' (the others join the same way)
                new Query("retention-executions", "SELECT f.id FROM flow_execution f WHERE f.status IN ('COMPLETED', "
                        + "'FAILED', 'CANCELLED', 'TIMED_OUT') AND f.finished_at < ? LIMIT ?", ts(now.minusSeconds(30 * 86400L)),
                        1000),
                new Query("retention-requests", "SELECT r.id FROM agent_request r JOIN flow_execution f ON f.id = "
                        + "r.execution_id WHERE f.status IN ('COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT') "
                        + "AND f.finished_at < ? LIMIT ?", ts(now.minusSeconds(30 * 86400L)), 1000));
    }

    private static String unfinishedSql(String constant) throws ReflectiveOperationException {
        Field field = UnfinishedExecutions.class.getDeclaredField(constant);
        field.setAccessible(true);
        return (String) field.get(null);
    }

    private static String leaseStoreSql(String constant) throws ReflectiveOperationException {
        Field field = LeaseStore.class.getDeclaredField(constant);
        field.setAccessible(true);
        return (String) field.get(null);
    }

    /** Parks, finishes and queues executions with plain SQL, then vacuums and analyzes. */
    private static void fill(Connection c, int parked, Instant now) throws SQLException {
        String execution = """
                INSERT INTO flow_execution (id, flow, flow_version, owner, status, state, progress, last_event_seq,
                       version, lease_owner, lease_expires_at, next_run_at, created_at, updated_at, finished_at)
                SELECT gen_random_uuid(), 'feature-approval', 1, 'owner-' || (i % 1000), ?, ?, ?, ?, 4, NULL, NULL,
                       CASE WHEN ? THEN ?::timestamptz END, ?::timestamptz - i * interval '1 second',
                       ?::timestamptz - i * interval '1 second',
                       CASE WHEN ? THEN ?::timestamptz - (i % 60) * interval '1 day' END
                  FROM generate_series(1, ?) i""";
        insert(c, execution, "WAITING_AGENT", STATE, WAITING, 11, false, null, ts(now), ts(now), false, null, parked);
        insert(c, execution, "COMPLETED", STATE, "{\"queue\":[],\"fired\":[],\"activated\":[],\"waiting\":[],"
                + "\"attempt\":1}", 16, false, null, ts(now), ts(now), true, ts(now), parked);
        insert(c, execution, "PENDING", STATE, "{}", 1, true, ts(now.minusSeconds(1)), ts(now), ts(now), false, null, DUE);
        String request = """
                INSERT INTO agent_request (id, execution_id, agent_role, step, question, payload, deadline, status,
                       answer, answered_by, answered_at, created_at, version)
                SELECT gen_random_uuid(), f.id, 'ceo', 'askCeo', 'Approve this feature? Its cost is over 1000000.',
                       '{"featureName":"bench","estimatedCost":2000000,"complexity":5}',
                       f.created_at + interval '30 days', ?, ?, ?, f.finished_at, f.created_at, ?
                  FROM flow_execution f WHERE f.status = ?""";
        insert(c, request, "PENDING", null, null, 0, "WAITING_AGENT");
        insert(c, request, "ANSWERED", "{\"approved\":true}", "ceo-subject", 1, "COMPLETED");
        try (Statement s = c.createStatement()) {
            s.execute("VACUUM (ANALYZE) flow_execution");
            s.execute("VACUUM (ANALYZE) agent_request");
        }
    }

    private static UUID any(Connection c, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM flow_execution WHERE status = ? LIMIT 1")) {
            ps.setString(1, status);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private static void insert(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            ps.executeUpdate();
        }
    }

    /** How the server plans a statement. */
    private enum Plan {
        /** For the values bound: what the driver's first executions of a statement get. */
        CUSTOM,
        /** What the plan cache settles on after more than five executions of a prepared statement. */
        CACHED,
        /** A plan for any values, forced: what the cache would switch to if it thought it cheaper. */
        GENERIC
    }

    /**
     * Runs the statement twice, each time in a transaction rolled back (the first warms the caches),
     * and keeps the second's plan.
     *
     * @return the plan of the statement as executed: time, buffers, rows, and what it scanned
     */
    private static Map<String, Object> explain(Connection c, Query q, Plan mode) throws SQLException {
        String plan = null;
        String explain = "EXPLAIN (ANALYZE, BUFFERS, WAL, FORMAT JSON) ";
        String execute = "EXECUTE measured" + (q.params.length == 0 ? "" : "(" + literals(q.params) + ")");
        try (Statement s = c.createStatement()) {
            if (mode != Plan.CUSTOM) {
                s.execute("PREPARE measured AS " + numbered(q.sql));
            }
            for (int run = 0; run < 2; run++) {
                c.setAutoCommit(false);
                try {
                    if (mode == Plan.CUSTOM) {
                        try (PreparedStatement ps = c.prepareStatement(explain + q.sql)) {
                            bind(ps, q.params);
                            plan = firstColumn(ps.executeQuery());
                        }
                        continue;
                    }
                    if (mode == Plan.GENERIC) {
                        s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                    } else if (run == 0) {
                        for (int i = 0; i < 6; i++) {
                            s.execute(execute);
                        }
                    }
                    plan = firstColumn(s.executeQuery(explain + execute));
                } finally {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
            if (mode != Plan.CUSTOM) {
                s.execute("DEALLOCATE measured");
            }
        }
        return summary(plan);
    }

    private static String firstColumn(ResultSet rs) throws SQLException {
        try (rs) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Map<String, Object> summary(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json).get(0);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        JsonNode top = root.get("Plan");
        Set<String> scans = new LinkedHashSet<>();
        collectScans(top, scans);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("ms", String.format(java.util.Locale.ROOT, "%.3f", root.get("Execution Time").asDouble()));
        s.put("buffers", top.get("Shared Hit Blocks").asLong() + top.get("Shared Read Blocks").asLong());
        s.put("rows", top.get("Actual Rows").asLong());
        s.put("wal_bytes", top.path("WAL Bytes").asLong());
        s.put("scans", String.join("+", scans));
        return s;
    }

    private static void collectScans(JsonNode node, Set<String> scans) {
        String type = node.get("Node Type").asText();
        if (node.has("Index Name")) {
            scans.add((type.startsWith("Index Only") ? "indexonly:" : "index:") + node.get("Index Name").asText());
        } else if (type.equals("Seq Scan")) {
            scans.add("seq:" + node.get("Relation Name").asText());
        } else if (type.equals("Bitmap Heap Scan")) {
            scans.add("bitmap:" + node.get("Relation Name").asText());
        }
        if (node.has("Plans")) {
            for (JsonNode child : node.get("Plans")) {
                collectScans(child, scans);
            }
        }
    }

    private static Map<String, Object> line(int parked, Query q, Plan plan, Map<String, Object> cost) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "query-cost");
        line.put("parked", parked);
        line.put("query", q.name);
        line.put("plan", plan.name().toLowerCase(java.util.Locale.ROOT));
        line.putAll(cost);
        return line;
    }

    /** @return the statement with its {@code ?} placeholders numbered, for PREPARE */
    private static String numbered(String sql) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (char ch : sql.toCharArray()) {
            out.append(ch == '?' ? "$" + ++n : String.valueOf(ch));
        }
        return out.toString();
    }

    private static String literals(Object[] params) {
        List<String> out = new ArrayList<>();
        for (Object p : params) {
            out.add(p == null ? "NULL" : p instanceof Number ? p.toString() : "'" + p.toString().replace("'", "''") + "'");
        }
        return String.join(", ", out);
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    private static OffsetDateTime ts(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
