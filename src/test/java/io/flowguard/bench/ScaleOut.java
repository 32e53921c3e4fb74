package io.flowguard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.flowguard.security.DevKeys;

/**
 * Three instances on one PostgreSQL database, load spread over all three, one killed with
 * {@code kill -9} mid-run. Counts what clients started and what completed (read from the
 * database: nothing may be lost), steps completed twice (never), and how long the dead
 * instance's executions took to move on (about one lease).
 */
final class ScaleOut {

    private static final String DEAD = "bench-2";

    private ScaleOut() {
    }

    /** @return the result line; {@code lost} and {@code steps_completed_twice} must be 0 */
    static Map<String, Object> run(Path jar, int clients, Duration before, Duration after, Duration lease)
            throws Exception {
        Path folder = Files.createTempDirectory("flowguard-scale-out");
        try (BenchDatabase db = BenchDatabase.create("postgresql", folder)) {
            DevKeys keys = DevKeys.loadOrCreate(folder);
            Map<String, String> env = new HashMap<>(Benchmark.environment(db, folder));
            env.put("FLOWGUARD_ENGINE_LEASE_DURATION", lease.toString());
            env.put("FLOWGUARD_ENGINE_HEARTBEAT_INTERVAL", lease.dividedBy(5).toString());
            Benchmark.migrate(jar, folder, env);
            List<ServerProcess> servers = new ArrayList<>();
            try {
                for (int i = 1; i <= 3; i++) {
                    servers.add(ServerProcess.start(jar, folder, "bench-" + i, env));
                }
                FeatureApprovalClients load = FeatureApprovalClients.withTokens(keys,
                        new ArrayList<>(servers.stream().map(ServerProcess::baseUrl).toList()), clients, Benchmark.poll);
                load.start();
                load.measure(true);
                Thread.sleep(before.toMillis());

                int heldByDead = unfinishedHeldBy(db, DEAD);
                long killedAt = System.nanoTime();
                servers.get(1).kill();
                load.serversNow(List.of(servers.get(0).baseUrl(), servers.get(2).baseUrl()));
                double movedOnSeconds = -1;
                long deadline = killedAt + Duration.ofMinutes(2).toNanos();
                long stopLoadAt = killedAt + after.toNanos();
                boolean stopped = false;
                while (System.nanoTime() < deadline) {
                    if (movedOnSeconds < 0 && unfinishedHeldBy(db, DEAD) == 0) {
                        movedOnSeconds = (System.nanoTime() - killedAt) / 1e9;
                    }
                    if (!stopped && System.nanoTime() >= stopLoadAt) {
                        load.stop(Duration.ofMinutes(1));
                        stopped = true;
                    }
                    if (stopped && movedOnSeconds >= 0) {
                        break;
                    }
                    Thread.sleep(100);
                }
                if (!stopped) {
                    load.stop(Duration.ofMinutes(1));
                }
                Set<String> started = load.startedIds;
                long lost = awaitAllFinished(db, started, Duration.ofMinutes(2));

                Map<String, Object> line = new LinkedHashMap<>();
                line.put("bench", "scale-out");
                line.put("db", "postgresql");
                line.put("instances", 3);
                line.put("clients", clients);
                line.put("lease_s", Benchmark.round(lease.toMillis() / 1000.0));
                line.put("executions_started", started.size());
                line.put("executions_completed", completed(db, started));
                line.put("lost", lost);
                line.put("steps_completed_twice", stepsCompletedTwice(db));
                line.put("held_by_killed_instance", heldByDead);
                line.put("moved_on_after_s", Benchmark.round(movedOnSeconds));
                line.put("client_failovers", load.failovers.get());
                line.put("client_errors", load.errors.get());
                return line;
            } finally {
                for (ServerProcess s : servers) {
                    s.close();
                }
            }
        }
    }

    private static int unfinishedHeldBy(BenchDatabase db, String owner) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM flow_execution WHERE lease_owner = ? AND finished_at IS NULL")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Waits until every started execution is finished; @return how many did not complete (lost) */
    private static long awaitAllFinished(BenchDatabase db, Set<String> started, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && completed(db, started) < started.size()) {
            Thread.sleep(250);
        }
        return started.size() - completed(db, started);
    }

    private static long completed(BenchDatabase db, Set<String> ids) throws SQLException {
        long n = 0;
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM flow_execution WHERE id = ?")) {
            for (String id : ids) {
                ps.setObject(1, java.util.UUID.fromString(id));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && "COMPLETED".equals(rs.getString(1))) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** Steps with more than one STEP_COMPLETED event in one execution: run twice without a recorded retry. */
    private static long stepsCompletedTwice(BenchDatabase db) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT COUNT(*) FROM (SELECT execution_id, step FROM execution_event WHERE event_type = 'STEP_COMPLETED'
                                       GROUP BY execution_id, step HAVING COUNT(*) > 1) twice""");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
