package io.flowguard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.security.DevKeys;
import io.flowguard.security.DevTokens;

/**
 * The benchmark harness: starts {@code target/flowguard.jar} (prod profile, real JWTs) on a fresh
 * PostgreSQL database and on H2, drives 1, 4, 16 and 64 concurrent clients through
 * {@code feature-approval} over HTTP, and prints one {@code key=value} line per run (also
 * appended to {@code target/bench/results.txt}); then pgbench's one-row updates at the same client
 * counts, the engine's own figure without HTTP ({@link InProcessEngine}), and the scale-out run ({@link ScaleOut}: three instances, one killed with kill -9),
 * exiting non-zero when anything was lost. Run by {@code mvn -DskipTests package exec:exec@bench};
 * options: {@code --db=postgresql,h2 --clients=1,4,16,64 --warmup=PT15S --max-warmup=PT180S --duration=PT20S
 * --http=false --engine=false --pgbench=false --scale-out=false --scale-out-clients=16 --kill-after=PT10S --run-after-kill=PT15S
 * --lease=PT10S --poll=wait}; {@code --poll} is {@code wait} (clients wait with {@code Prefer: wait})
 * or the interval at which clients ask again instead.
 */
public final class Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ISSUER = "flowguard-bench";
    static final String AUDIENCE = "flowguard";
    /**
     * How often a client looks at the inbox or an execution while waiting ({@code --poll}), or
     * null when it waits on the server ({@code --poll=wait}, the default).
     */
    static Duration poll;
    /** The longest warm-up ({@code --max-warmup}); {@code --warmup} is the shortest, see {@link Warmup}. */
    static Duration maxWarmup;

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path jar = Path.of(options.getOrDefault("jar", "target/flowguard.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (mvn -DskipTests package)");
        }
        List<Integer> clients = List.of(options.getOrDefault("clients", "1,4,16,64").split(",")).stream()
                .map(String::strip).map(Integer::parseInt).toList();
        Duration warmup = Duration.parse(options.getOrDefault("warmup", "PT15S"));
        maxWarmup = Duration.parse(options.getOrDefault("max-warmup", "PT180S"));
        Duration window = Duration.parse(options.getOrDefault("duration", "PT20S"));
        String pollOption = options.getOrDefault("poll", "wait");
        poll = pollOption.equals("wait") ? null : Duration.parse(pollOption);
        Path out = Path.of(options.getOrDefault("out", "target/bench/results.txt"));
        Files.createDirectories(out.getParent());
        List<String> vendors = List.of(options.getOrDefault("db", "postgresql,h2").split(",")).stream()
                .map(String::strip).toList();
        for (String vendor : vendors) {
            if (!"false".equals(options.get("http"))) {
                singleInstance(jar, vendor, clients, warmup, window, out);
            }
            if (!"false".equals(options.get("engine"))) {
                inProcess(vendor, clients, warmup, window, out);
            }
        }
        if (vendors.contains("postgresql") && !"false".equals(options.get("pgbench"))) {
            databaseCeiling(clients, out);
        }
        if (!"false".equals(options.get("scale-out"))) {
            Map<String, Object> line = ScaleOut.run(jar, Integer.parseInt(options.getOrDefault("scale-out-clients", "16")),
                    Duration.parse(options.getOrDefault("kill-after", "PT10S")),
                    Duration.parse(options.getOrDefault("run-after-kill", "PT15S")),
                    Duration.parse(options.getOrDefault("lease", "PT10S")));
            emit(out, line);
            if (!"0".equals(String.valueOf(line.get("lost"))) || !"0".equals(String.valueOf(line.get("steps_completed_twice")))) {
                System.err.println("bench: executions were lost or steps completed twice");
                System.exit(1);
            }
        }
    }

    /** pgbench's one-row updates at the same client counts: what the database itself can commit here. */
    private static void databaseCeiling(List<Integer> clientCounts, Path out) throws Exception {
        var pgbench = PgBench.binary();
        if (pgbench.isEmpty()) {
            System.out.println("bench=pgbench-update skipped=no_pgbench_binary");
            return;
        }
        Path folder = Files.createTempDirectory("flowguard-pgbench");
        try (BenchDatabase db = BenchDatabase.create("postgresql", folder)) {
            PgBench.initialize(pgbench.get(), db);
            for (int n : clientCounts) {
                emit(out, PgBench.run(pgbench.get(), db, folder, n, 10));
            }
        }
    }

    private static void singleInstance(Path jar, String vendor, List<Integer> clientCounts, Duration warmup,
                                       Duration window, Path out) throws Exception {
        Path folder = Files.createTempDirectory("flowguard-bench-" + vendor);
        try (BenchDatabase db = BenchDatabase.create(vendor, folder)) {
            DevKeys keys = DevKeys.loadOrCreate(folder);
            Map<String, String> env = environment(db, folder);
            migrate(jar, folder, env);
            try (ServerProcess server = ServerProcess.start(jar, folder, "bench-1", env)) {
                for (int n : clientCounts) {
                    Map<String, Object> line = run(List.of(server), keys, db, n, warmup, window);
                    line.put("rss_mib", round(server.rssMiB()));
                    emit(out, line);
                }
            }
        }
    }

    private static Map<String, Object> run(List<ServerProcess> servers, DevKeys keys, BenchDatabase db, int clients,
                                           Duration warmup, Duration window) throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            tokens.add(DevTokens.mint(keys, ISSUER, AUDIENCE, "bench-user-" + i, List.of("flow-user"), Duration.ofHours(2)));
        }
        String ceo = DevTokens.mint(keys, ISSUER, AUDIENCE, "bench-ceo", List.of("agent:ceo"), Duration.ofHours(2));
        List<String> urls = new ArrayList<>(servers.stream().map(ServerProcess::baseUrl).toList());
        FeatureApprovalClients load = new FeatureApprovalClients(urls, tokens, ceo, poll);
        load.start();
        Duration warmedUp = Warmup.settle(() -> load.completedIds.size(), () -> compilerMs(servers), warmup, maxWarmup);
        long commitsBefore = db.commits();
        double[] cpuBefore = cpu(servers);
        long started = System.nanoTime();
        load.measure(true);
        Thread.sleep(window.toMillis());
        load.measure(false);
        double seconds = (System.nanoTime() - started) / 1e9;
        long commitsAfter = db.commits();
        double[] cpuAfter = cpu(servers);
        load.stop(Duration.ofSeconds(60));

        long executions = load.completed.get();
        String admin = DevTokens.mint(keys, ISSUER, AUDIENCE, "bench-admin", List.of("flow-admin"), Duration.ofHours(1));
        int steps = stepsPerExecution(servers.get(0).baseUrl(), admin, load);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "http");
        line.put("db", db.vendor);
        line.put("instances", servers.size());
        line.put("clients", clients);
        line.put("client_poll", poll == null ? "wait" : poll.toMillis() + "ms");
        line.put("warmup_s", round(warmedUp.toMillis() / 1000.0));
        line.put("seconds", round(seconds));
        line.put("executions", executions);
        line.put("executions_per_s", round(executions / seconds));
        line.put("start_p50_ms", round(load.start.percentileMillis(50)));
        line.put("start_p99_ms", round(load.start.percentileMillis(99)));
        line.put("answer_p50_ms", round(load.answer.percentileMillis(50)));
        line.put("answer_p99_ms", round(load.answer.percentileMillis(99)));
        line.put("answer_to_completed_p50_ms", round(load.answerToCompleted.percentileMillis(50)));
        line.put("answer_to_completed_p99_ms", round(load.answerToCompleted.percentileMillis(99)));
        line.put("steps_per_execution", steps);
        line.put("step_transitions_per_s", round(executions * steps / seconds));
        line.put("db_commits_per_execution", commitsBefore < 0 || executions == 0 ? "n/a"
                : round((commitsAfter - commitsBefore) / (double) executions));
        // where the cores went, per execution: the servers, the harness's clients, PostgreSQL
        line.put("cpu_ms_per_execution_server", CpuTime.perExecution(cpuBefore[0], cpuAfter[0], executions));
        line.put("cpu_ms_per_execution_clients", CpuTime.perExecution(cpuBefore[1], cpuAfter[1], executions));
        line.put("cpu_ms_per_execution_postgres", "postgresql".equals(db.vendor)
                ? CpuTime.perExecution(cpuBefore[2], cpuAfter[2], executions) : "n/a");
        line.put("errors", load.errors.get());
        if (load.errors.get() > 0) {
            line.put("first_error", "\"" + load.firstError().replace("\"", "'") + "\"");
        }
        return line;
    }

    /** @return CPU milliseconds the servers' JIT compilers used so far (summed; -1 when unreadable) */
    private static double compilerMs(List<ServerProcess> servers) {
        double sum = 0;
        for (ServerProcess s : servers) {
            double ms = CpuTime.ofCompilers(s.pid());
            if (ms < 0) {
                return -1;
            }
            sum += ms;
        }
        return sum;
    }

    /** @return CPU milliseconds so far of the servers (summed), this JVM (the clients) and PostgreSQL */
    private static double[] cpu(List<ServerProcess> servers) {
        double server = 0;
        for (ServerProcess s : servers) {
            double ms = CpuTime.ofProcess(s.pid());
            server = ms < 0 || server < 0 ? -1 : server + ms;
        }
        return new double[] {server, CpuTime.ofProcess(ProcessHandle.current().pid()), CpuTime.ofCommand("postgres")};
    }

    /** Reads one completed execution's history: how many steps feature-approval's CEO path ran. */
    private static int stepsPerExecution(String server, String adminToken, FeatureApprovalClients load)
            throws Exception {
        String id = load.completedIds.stream().findFirst().orElse(null);
        if (id == null) {
            return 0;
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server + "/executions/" + id + "/events"))
                .header("Authorization", "Bearer " + adminToken).build(), HttpResponse.BodyHandlers.ofString());
        int steps = 0;
        for (JsonNode event : JSON.readTree(r.body())) {
            if ("STEP_COMPLETED".equals(event.get("type").asText())) {
                steps++;
            }
        }
        return steps;
    }

    static Map<String, String> environment(BenchDatabase db, Path folder) {
        Map<String, String> env = new HashMap<>(db.environment());
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", DevKeys.publicKeyFile(folder).toAbsolutePath().toString());
        env.put("MP_JWT_VERIFY_ISSUER", ISSUER);
        env.put("MP_JWT_VERIFY_AUDIENCES", AUDIENCE);
        env.put("FLOWGUARD_FLOWS_ENABLED", "feature-approval");
        // the load comes from a few subjects on one address: the per-subject guards would be the bottleneck
        env.put("FLOWGUARD_RATE_LIMIT_REQUESTS", "1000000000");
        env.put("FLOWGUARD_RATE_LIMIT_BURST", "1000000000");
        env.put("FLOWGUARD_DATA_DIR", folder.toAbsolutePath().toString());
        // engine and pool settings given to the harness reach the servers (e.g. FLOWGUARD_ENGINE_WORKERS=8)
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("FLOWGUARD_ENGINE_") || name.startsWith("FLOWGUARD_DB_POOL_")) {
                env.put(name, value);
            }
        });
        return env;
    }

    static void migrate(Path jar, Path folder, Map<String, String> env) throws IOException, InterruptedException {
        Process migrate = ServerProcess.run(jar, folder.resolve("migrate.log"), env, "migrate");
        if (!migrate.waitFor(120, TimeUnit.SECONDS) || migrate.exitValue() != 0) {
            throw new IllegalStateException("migrate failed: " + Files.readString(folder.resolve("migrate.log")));
        }
    }

    static void emit(Path out, Map<String, Object> line) throws IOException {
        String text = print(line);
        Files.writeString(out, text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Prints one result line to standard output; @return it */
    static String print(Map<String, Object> line) {
        StringBuilder text = new StringBuilder();
        line.forEach((k, v) -> text.append(text.isEmpty() ? "" : " ").append(k).append('=').append(v));
        System.out.println(text);
        return text.toString();
    }

    /** The engine's own figure, in a JVM of its own per database; its lines are passed on. */
    private static void inProcess(String vendor, List<Integer> clients, Duration warmup, Duration window, Path out)
            throws Exception {
        List<String> command = List.of(ServerProcess.java(), "-Xmx1g", "-Dmp.config.profile=prod",
                "-cp", System.getProperty("java.class.path"), InProcessEngine.class.getName(), vendor,
                String.join(",", clients.stream().map(String::valueOf).toList()), warmup.toString(), window.toString(),
                maxWarmup.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("bench=")) {
                    System.out.println(line);
                    Files.writeString(out, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the in-process engine run on " + vendor + " failed (exit " + p.exitValue() + ")");
        }
    }

    static String round(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            for (String part : arg.split("\\s+")) {
                if (part.startsWith("--") && part.contains("=")) {
                    options.put(part.substring(2, part.indexOf('=')), part.substring(part.indexOf('=') + 1));
                } else if (!part.isBlank()) {
                    throw new IllegalArgumentException("unknown option " + part
                            + " (see the class comment of io.flowguard.bench.Benchmark)");
                }
            }
        }
        return options;
    }
}
