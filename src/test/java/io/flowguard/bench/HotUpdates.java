package io.flowguard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.flowguard.engine.Engine;
import io.flowguard.engine.EngineSettings;
import io.flowguard.engine.ExecutionSnapshot;
import io.flowguard.examples.FeatureApprovalFlow;
import io.flowguard.store.CommitListener;
import io.flowguard.store.DatabaseVendor;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.SchemaMigrator;

/**
 * How the engine's writes land in PostgreSQL: {@code --hot-updates=N} runs N feature-approval
 * cycles (start, the CEO's request, answer, completed) through the embeddable engine
 * ({@link Engine#builder()}, its own worker threads, no container) on a fresh database, and reads
 * PostgreSQL's table and index statistics before and after. Prints one {@code bench=hot-updates}
 * line per table (updates, how many were HOT, i.e. wrote no index entry, sequential scans and the
 * table's size) and one {@code bench=index-usage} line per index (scans and size), so that every
 * index on a hot table can be weighed against the updates it makes non-HOT.
 */
final class HotUpdates {

    private static final String INPUT = "{\"featureName\":\"bench\",\"description\":\"benchmark\","
            + "\"estimatedCost\":2000000,\"complexity\":5}";
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private HotUpdates() {
    }

    /**
     * @param cycles  executions to run to completion
     * @param clients how many run at once
     * @param claimed false: one engine starts, answers and runs the executions (its own starts and
     *                answers hand them to its workers); true: an engine without workers starts and
     *                answers, another claims and runs them, as instances behind a load balancer do
     *                (every drive then begins with a claim, and leases change hands)
     * @return the result lines
     */
    static List<Map<String, Object>> run(int cycles, int clients, boolean claimed) throws Exception {
        Path folder = Files.createTempDirectory("flowguard-hot-updates");
        try (BenchDatabase db = BenchDatabase.create("postgresql", folder)) {
            Signals signals = new Signals();
            long seconds;
            long walBefore;
            Map<String, Map<String, Object>> before;
            try (HikariDataSource pool = db.pool(10)) {
                new SchemaMigrator(pool, DatabaseVendor.POSTGRESQL).migrate();
                before = statistics(db, 0);
                walBefore = walPosition(db);
                try (Engine engine = engine(pool, signals, "hot-updates", claimed ? 0 : 4);
                     Engine worker = claimed ? engine(pool, signals, "hot-worker", 4) : null) {
                    engine.startWorkers();
                    if (worker != null) {
                        worker.startWorkers();
                    }
                    long began = System.nanoTime();
                    drive(engine, signals, cycles, clients, () -> analyze(db));
                    seconds = System.nanoTime() - began;
                }
            }
            // the pool's backends flushed their statistics as they exited
            Map<String, Map<String, Object>> after = statistics(db, totalUpdates(before) + 1);
            long wal = walPosition(db) - walBefore;
            List<Map<String, Object>> lines = new ArrayList<>();
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("bench", "hot-updates");
            summary.put("cycles", cycles);
            summary.put("clients", clients);
            summary.put("claimed", claimed);
            summary.put("executions_per_s", Benchmark.round(cycles / (seconds / 1e9)));
            // the whole server's WAL: exact only while nothing else writes to it
            summary.put("wal_kib_per_cycle", Benchmark.round(wal / 1024.0 / cycles));
            lines.add(summary);
            after.forEach((relation, now) -> {
                Map<String, Object> then = before.getOrDefault(relation, Map.of());
                lines.add("table".equals(now.get("kind")) ? tableLine(relation, now, then, cycles)
                        : indexLine(relation, now, then));
            });
            return lines;
        }
    }

    private static Engine engine(HikariDataSource pool, Signals signals, String id, int workers) {
        return Engine.builder().dataSource(pool).vendor(DatabaseVendor.POSTGRESQL).flow(FeatureApprovalFlow.class)
                .onCommit(signals).instanceId(id).settings(EngineSettings.defaults().withWorkers(workers)).build();
    }

    private static Map<String, Object> tableLine(String table, Map<String, Object> now, Map<String, Object> then,
                                                 int cycles) {
        long updates = delta(now, then, "n_tup_upd");
        long hot = delta(now, then, "n_tup_hot_upd");
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "hot-updates");
        line.put("table", table);
        line.put("inserts", delta(now, then, "n_tup_ins"));
        line.put("updates", updates);
        line.put("hot_updates", hot);
        line.put("hot_pct", updates == 0 ? "n/a" : Benchmark.round(100.0 * hot / updates));
        line.put("updates_per_cycle", Benchmark.round(updates / (double) cycles));
        line.put("seq_scan", delta(now, then, "seq_scan"));
        line.put("fillfactor", now.get("fillfactor"));
        line.put("size_kib", now.get("size_kib"));
        return line;
    }

    private static Map<String, Object> indexLine(String index, Map<String, Object> now, Map<String, Object> then) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "index-usage");
        line.put("table", now.get("table"));
        line.put("index", index);
        line.put("idx_scan", delta(now, then, "idx_scan"));
        line.put("idx_tup_read", delta(now, then, "idx_tup_read"));
        line.put("size_kib", now.get("size_kib"));
        return line;
    }

    private static long delta(Map<String, Object> now, Map<String, Object> then, String key) {
        return ((Number) now.get(key)).longValue() - ((Number) then.getOrDefault(key, 0L)).longValue();
    }

    private static long totalUpdates(Map<String, Map<String, Object>> stats) {
        return stats.values().stream().filter(s -> s.containsKey("n_tup_upd"))
                .mapToLong(s -> ((Number) s.get("n_tup_upd")).longValue()).sum();
    }

    /**
     * Every client runs its share of the cycles, one after another, as the benchmark's clients do.
     * After the first tenth the tables are analyzed, as autovacuum would have by then, so that the
     * index scans counted are the ones the planner picks for tables of that size.
     */
    private static void drive(Engine engine, Signals signals, int cycles, int clients, Runnable analyze)
            throws Exception {
        AtomicInteger left = new AtomicInteger(cycles);
        int analyzeAt = cycles - cycles / 10;
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String owner = "hot-user-" + i;
            CompletableFuture<Void> client = new CompletableFuture<>();
            done.add(client);
            Thread.ofVirtual().start(() -> {
                try {
                    for (int n = left.getAndDecrement(); n > 0; n = left.getAndDecrement()) {
                        cycle(engine, signals, owner);
                        if (n == analyzeAt) {
                            analyze.run();
                        }
                    }
                    client.complete(null);
                } catch (Exception | Error e) {
                    client.completeExceptionally(e);
                }
            });
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
    }

    private static void cycle(Engine engine, Signals signals, String owner) throws InterruptedException {
        UUID id = engine.start("feature-approval", INPUT, owner, null).execution().id();
        signals.asked(id).orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join();
        UUID request = engine.inbox(Set.of("ceo"), id, 1).get(0).id();
        engine.answer(request, Set.of("ceo"), "hot-ceo", "{\"approved\":true}");
        Semaphore grew = signals.grew(id);
        while (engine.get(id).map(ExecutionSnapshot::status).orElseThrow() != ExecutionStatus.COMPLETED) {
            if (!grew.tryAcquire(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("execution " + id + " did not complete");
            }
        }
        signals.forget(id);
    }

    /** What the clients wait on, told by the engine's commits. */
    private static final class Signals implements CommitListener {

        private final Map<UUID, CompletableFuture<Void>> asked = new ConcurrentHashMap<>();
        private final Map<UUID, Semaphore> grew = new ConcurrentHashMap<>();

        CompletableFuture<Void> asked(UUID execution) {
            return asked.computeIfAbsent(execution, k -> new CompletableFuture<>());
        }

        Semaphore grew(UUID execution) {
            return grew.computeIfAbsent(execution, k -> new Semaphore(0));
        }

        void forget(UUID execution) {
            asked.remove(execution);
            grew.remove(execution);
        }

        @Override
        public void historyGrew(UUID execution) {
            grew(execution).release();
        }

        @Override
        public void asked(UUID execution, String role) {
            asked(execution).complete(null);
        }
    }

    /** @return the server's current WAL position, in bytes */
    private static long walPosition(BenchDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void analyze(BenchDatabase db) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ANALYZE");
        } catch (SQLException e) {
            throw new IllegalStateException("ANALYZE failed", e);
        }
    }

    private static final String TABLES = """
            SELECT t.relname, t.n_tup_ins, t.n_tup_upd, t.n_tup_hot_upd, t.seq_scan,
                   COALESCE((SELECT substring(o FROM 'fillfactor=(\\d+)') FROM unnest(c.reloptions) o
                              WHERE o LIKE 'fillfactor=%'), '100') AS fillfactor,
                   pg_relation_size(t.relid) / 1024 AS size_kib
              FROM pg_stat_user_tables t JOIN pg_class c ON c.oid = t.relid
             WHERE t.relname <> 'flyway_schema_history'
             ORDER BY t.relname""";
    private static final String INDEXES = """
            SELECT i.indexrelname, i.relname, i.idx_scan, i.idx_tup_read,
                   pg_relation_size(i.indexrelid) / 1024 AS size_kib
              FROM pg_stat_user_indexes i
             WHERE i.relname <> 'flyway_schema_history'
             ORDER BY i.relname, i.indexrelname""";

    /**
     * Reads the statistics, again until they stand still and count more than {@code atLeast}
     * updates: backends hand theirs to the collector when they exit, a little after the pool closed.
     *
     * @return per table and index (by name), its counters
     */
    private static Map<String, Map<String, Object>> statistics(BenchDatabase db, long atLeast)
            throws SQLException, InterruptedException {
        Map<String, Map<String, Object>> previous = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Map<String, Map<String, Object>> read = new LinkedHashMap<>();
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_stat_clear_snapshot()");
                try (ResultSet rs = s.executeQuery(TABLES)) {
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("kind", "table");
                        row.put("n_tup_ins", rs.getLong(2));
                        row.put("n_tup_upd", rs.getLong(3));
                        row.put("n_tup_hot_upd", rs.getLong(4));
                        row.put("seq_scan", rs.getLong(5));
                        row.put("fillfactor", rs.getString(6));
                        row.put("size_kib", rs.getLong(7));
                        read.put(rs.getString(1), row);
                    }
                }
                try (ResultSet rs = s.executeQuery(INDEXES)) {
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("kind", "index");
                        row.put("table", rs.getString(2));
                        row.put("idx_scan", rs.getLong(3));
                        row.put("idx_tup_read", rs.getLong(4));
                        row.put("size_kib", rs.getLong(5));
                        read.put(rs.getString(1), row);
                    }
                }
            }
            boolean settled = read.equals(previous) && totalUpdates(read) >= atLeast;
            if (settled || System.nanoTime() > deadline) {
                return read;
            }
            previous = read;
            Thread.sleep(200); // polling the statistics view: there is no event to wait on
        }
    }
}
