package io.flowguard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The database's own ceiling on this machine, for comparison: {@code pgbench} running one-row
 * {@code UPDATE}s (each its own transaction) at the same client counts, against a fresh
 * database on the same server.
 */
final class PgBench {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private PgBench() {
    }

    /** @return the pgbench binary of the installed PostgreSQL, if there is one */
    static Optional<Path> binary() {
        Path onPath = Path.of("/usr/bin/pgbench");
        if (Files.isExecutable(onPath)) {
            return Optional.of(onPath);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin/pgbench")).filter(Files::isExecutable).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * @param pgbench the binary
     * @param db      a fresh PostgreSQL database
     * @param folder  where the script goes
     * @param clients the client count
     * @param seconds how long
     * @return one result line
     */
    static Map<String, Object> run(Path pgbench, BenchDatabase db, Path folder, int clients, int seconds)
            throws IOException, InterruptedException {
        Path script = folder.resolve("update.sql");
        Files.writeString(script, """
                \\set aid random(1, 100000)
                UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = :aid;
                """);
        String output = exec(List.of(pgbench.toString(), "-n", "-f", script.toString(), "-c", String.valueOf(clients),
                "-j", String.valueOf(Math.min(clients, 4)), "-T", String.valueOf(seconds), db.jdbcFreeUri()));
        Matcher tps = TPS.matcher(output);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "pgbench-update");
        line.put("clients", clients);
        line.put("seconds", seconds);
        line.put("commits_per_s", tps.find() ? tps.group(1) : "n/a");
        return line;
    }

    /** Creates pgbench's tables (100,000 accounts) in the database. */
    static void initialize(Path pgbench, BenchDatabase db) throws IOException, InterruptedException {
        exec(List.of(pgbench.toString(), "-i", "-q", "-s", "1", db.jdbcFreeUri()));
    }

    private static String exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("pgbench failed: " + out);
        }
        return out;
    }
}
