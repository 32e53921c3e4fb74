package io.flowguard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.security.DevKeys;
import io.flowguard.security.DevTokens;

/**
 * Flowguard as operators run it: {@code target/flowguard.jar} in the prod profile with real JWTs
 * ({@link ServerProcess}), migrated first, on a fresh database of its own, driven over HTTP by
 * {@link FeatureApprovalClients} in the harness's JVM. With more than one instance
 * ({@code --instances=1,2,3}) every instance serves the same database and the clients spread their
 * cycles over all of them, as behind a load balancer; the server CPU is then the sum of the
 * instances'.
 */
final class HttpContender implements Contender {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchDatabase db;
    private final DevKeys keys;
    private final List<ServerProcess> servers;

    private HttpContender(BenchDatabase db, DevKeys keys, List<ServerProcess> servers) {
        this.db = db;
        this.keys = keys;
        this.servers = List.copyOf(servers);
    }

    /**
     * @param instances how many servers share the database (1 or more)
     * @return the contender, its servers up and ready
     */
    static HttpContender start(Path jar, String vendor, int instances) throws Exception {
        if (instances < 1) {
            throw new IllegalArgumentException("--instances counts servers: 1 or more, not " + instances);
        }
        Path folder = Files.createTempDirectory("flowguard-bench-" + vendor);
        BenchDatabase db = BenchDatabase.create(vendor, folder);
        List<ServerProcess> servers = new ArrayList<>();
        try {
            DevKeys keys = DevKeys.loadOrCreate(folder);
            Map<String, String> env = Benchmark.environment(db, folder);
            Benchmark.migrate(jar, folder, env);
            for (int i = 1; i <= instances; i++) {
                servers.add(ServerProcess.start(jar, folder, "bench-" + i, env));
            }
            return new HttpContender(db, keys, servers);
        } catch (Exception | Error e) {
            for (ServerProcess s : servers) {
                s.close();
            }
            db.close();
            throw e;
        }
    }

    /** @return {@code flowguard_http}, or {@code flowguard_http_x2} and so on for several instances */
    @Override
    public String system() {
        return servers.size() == 1 ? "flowguard_http" : "flowguard_http_x" + servers.size();
    }

    private double serversCpu() {
        double sum = 0;
        for (ServerProcess s : servers) {
            sum += CpuTime.ofProcess(s.pid());
        }
        return sum;
    }

    private double compilersCpu() {
        double sum = 0;
        for (ServerProcess s : servers) {
            sum += CpuTime.ofCompilers(s.pid());
        }
        return sum;
    }

    @Override
    public Map<String, Object> run(int clients, int round, Duration warmup, Duration maxWarmup, Duration window)
            throws Exception {
        FeatureApprovalClients load = FeatureApprovalClients.withTokens(keys,
                new ArrayList<>(servers.stream().map(ServerProcess::baseUrl).toList()),
                clients, Benchmark.poll);
        load.start();
        Duration warmedUp = Warmup.settle(() -> load.completedIds.size(), this::compilersCpu,
                warmup, maxWarmup);
        long commitsBefore = db.commits();
        double serverBefore = serversCpu();
        double clientsBefore = CpuTime.ofProcess(ProcessHandle.current().pid());
        double postgresBefore = CpuTime.ofCommand("postgres");
        long started = System.nanoTime();
        load.measure(true);
        Thread.sleep(window.toMillis());
        load.measure(false);
        double seconds = (System.nanoTime() - started) / 1e9;
        long commitsAfter = db.commits();
        double serverAfter = serversCpu();
        double clientsAfter = CpuTime.ofProcess(ProcessHandle.current().pid());
        double postgresAfter = CpuTime.ofCommand("postgres");
        load.stop(Duration.ofSeconds(60));

        long executions = load.completed.get();
        String admin = DevTokens.mint(keys, Benchmark.ISSUER, Benchmark.AUDIENCE, "bench-admin", List.of("flow-admin"),
                Duration.ofHours(1));
        int steps = stepsPerExecution(admin, load);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "http");
        line.put("system", system());
        line.put("db", db.vendor);
        line.put("round", round);
        line.put("instances", servers.size());
        line.put("clients", clients);
        line.put("client_poll", Benchmark.poll == null ? "wait" : Benchmark.poll.toMillis() + "ms");
        line.put("warmup_s", Benchmark.round(warmedUp.toMillis() / 1000.0));
        line.put("seconds", Benchmark.round(seconds));
        line.put("executions", executions);
        line.put("executions_per_s", Benchmark.round(executions / seconds));
        line.put("start_p50_ms", Benchmark.round(load.start.percentileMillis(50)));
        line.put("start_p99_ms", Benchmark.round(load.start.percentileMillis(99)));
        line.put("answer_p50_ms", Benchmark.round(load.answer.percentileMillis(50)));
        line.put("answer_p99_ms", Benchmark.round(load.answer.percentileMillis(99)));
        line.put("answer_to_completed_p50_ms", Benchmark.round(load.answerToCompleted.percentileMillis(50)));
        line.put("answer_to_completed_p99_ms", Benchmark.round(load.answerToCompleted.percentileMillis(99)));
        line.put("steps_per_execution", steps);
        line.put("step_transitions_per_s", Benchmark.round(executions * steps / seconds));
        line.put("db_commits_per_execution", commitsBefore < 0 || executions == 0 ? "n/a"
                : Benchmark.round((commitsAfter - commitsBefore) / (double) executions));
        // where the cores went, per execution: the server, the harness's clients, PostgreSQL
        line.put("cpu_ms_per_execution_server", CpuTime.perExecution(serverBefore, serverAfter, executions));
        line.put("cpu_ms_per_execution_clients", CpuTime.perExecution(clientsBefore, clientsAfter, executions));
        line.put("cpu_ms_per_execution_postgres", "postgresql".equals(db.vendor)
                ? CpuTime.perExecution(postgresBefore, postgresAfter, executions) : "n/a");
        line.put("rss_mib", Benchmark.round(servers.stream().mapToDouble(ServerProcess::rssMiB).sum()));
        line.put("errors", load.errors.get());
        if (load.errors.get() > 0) {
            line.put("first_error", "\"" + load.firstError().replace("\"", "'") + "\"");
        }
        return line;
    }

    /** Reads one completed execution's history: how many steps feature-approval's CEO path ran. */
    private int stepsPerExecution(String adminToken, FeatureApprovalClients load) throws Exception {
        String id = load.completedIds.stream().findFirst().orElse(null);
        if (id == null) {
            return 0;
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(servers.get(0).baseUrl() + "/executions/" + id + "/events"))
                .header("Authorization", "Bearer " + adminToken).build(), HttpResponse.BodyHandlers.ofString());
        int steps = 0;
        for (JsonNode event : JSON.readTree(r.body())) {
            if ("STEP_COMPLETED".equals(event.get("type").asText())) {
                steps++;
            }
        }
        return steps;
    }

    @Override
    public void close() throws Exception {
        try {
            for (ServerProcess s : servers) {
                s.close();
            }
        } finally {
            db.close();
        }
    }
}
