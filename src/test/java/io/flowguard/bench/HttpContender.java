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
 * {@link FeatureApprovalClients} in the harness's JVM.
 */
final class HttpContender implements Contender {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchDatabase db;
    private final DevKeys keys;
    private final ServerProcess server;

    private HttpContender(BenchDatabase db, DevKeys keys, ServerProcess server) {
        this.db = db;
        this.keys = keys;
        this.server = server;
    }

    static HttpContender start(Path jar, String vendor) throws Exception {
        Path folder = Files.createTempDirectory("flowguard-bench-" + vendor);
        BenchDatabase db = BenchDatabase.create(vendor, folder);
        try {
            DevKeys keys = DevKeys.loadOrCreate(folder);
            Map<String, String> env = Benchmark.environment(db, folder);
            Benchmark.migrate(jar, folder, env);
            return new HttpContender(db, keys, ServerProcess.start(jar, folder, "bench-1", env));
        } catch (Exception | Error e) {
            db.close();
            throw e;
        }
    }

    @Override
    public String system() {
        return "flowguard_http";
    }

    @Override
    public Map<String, Object> run(int clients, int round, Duration warmup, Duration maxWarmup, Duration window)
            throws Exception {
        FeatureApprovalClients load = FeatureApprovalClients.withTokens(keys, new ArrayList<>(List.of(server.baseUrl())),
                clients, Benchmark.poll);
        load.start();
        Duration warmedUp = Warmup.settle(() -> load.completedIds.size(), () -> CpuTime.ofCompilers(server.pid()),
                warmup, maxWarmup);
        long commitsBefore = db.commits();
        double serverBefore = CpuTime.ofProcess(server.pid());
        double clientsBefore = CpuTime.ofProcess(ProcessHandle.current().pid());
        double postgresBefore = CpuTime.ofCommand("postgres");
        long started = System.nanoTime();
        load.measure(true);
        Thread.sleep(window.toMillis());
        load.measure(false);
        double seconds = (System.nanoTime() - started) / 1e9;
        long commitsAfter = db.commits();
        double serverAfter = CpuTime.ofProcess(server.pid());
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
        line.put("instances", 1);
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
        line.put("rss_mib", Benchmark.round(server.rssMiB()));
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
                        URI.create(server.baseUrl() + "/executions/" + id + "/events"))
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
            server.close();
        } finally {
            db.close();
        }
    }
}
