package io.flowguard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.flowguard.engine.Engine;
import io.flowguard.engine.RequestSnapshot;
import io.flowguard.engine.RequestSnapshot;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.watch.ChangeSignals;
import io.flowguard.watch.LongPoll;
import io.helidon.microprofile.server.Server;
import jakarta.enterprise.inject.spi.CDI;

/**
 * The engine's own figure, without HTTP or tokens: the same feature-approval cycle through the
 * Java API ({@link Engine}) in the service's own CDI container, waiting as the API's
 * waiting reads do ({@link LongPoll}), in a JVM of its own
 * (started by {@link Benchmark} so that each database gets a fresh container and configuration).
 * Prints one {@code key=value} line per client count.
 */
public final class InProcessEngine {

    private static final String INPUT = "{\"featureName\":\"bench\",\"description\":\"benchmark\","
            + "\"estimatedCost\":2000000,\"complexity\":5}";

    private InProcessEngine() {
    }

    /**
     * @param args vendor (postgresql or h2), client counts (comma-separated), least warm-up, window and most
     *             warm-up (ISO durations)
     */
    public static void main(String[] args) throws Exception {
        String vendor = args[0];
        List<Integer> clientCounts = List.of(args[1].split(",")).stream().map(Integer::parseInt).toList();
        Duration warmup = Duration.parse(args[2]);
        Duration window = Duration.parse(args[3]);
        Duration maxWarmup = Duration.parse(args[4]);
        Path folder = Files.createTempDirectory("flowguard-bench-engine-" + vendor);
        try (BenchDatabase db = BenchDatabase.create(vendor, folder)) {
            System.setProperty("flowguard.db.url", db.url);
            System.setProperty("flowguard.db.user", db.user);
            System.setProperty("flowguard.db.password", db.password);
            System.setProperty("flowguard.db.migrate-on-start", "true");
            System.setProperty("flowguard.flows.enabled", "feature-approval");
            System.setProperty("flowguard.data-dir", folder.toString());
            System.setProperty("server.port", "0");
            System.setProperty("server.host", "127.0.0.1");
            // prod profile as in the HTTP runs; nothing here verifies a token, but the service wants its key
            io.flowguard.security.DevKeys.loadOrCreate(folder);
            System.setProperty("mp.jwt.verify.publickey.location",
                    io.flowguard.security.DevKeys.publicKeyFile(folder).toAbsolutePath().toString());
            System.setProperty("mp.jwt.verify.issuer", Benchmark.ISSUER);
            System.setProperty("mp.jwt.verify.audiences", Benchmark.AUDIENCE);
            Server server = Server.builder().build().start();
            try {
                Engine engine = CDI.current().select(Engine.class).get();
                for (int clients : clientCounts) {
                    Benchmark.print(run(engine, db, clients, warmup, maxWarmup, window));
                }
            } finally {
                server.stop();
            }
        }
        System.exit(0);
    }

    private static Map<String, Object> run(Engine engine, BenchDatabase db, int clients, Duration warmup,
                                           Duration maxWarmup, Duration window) throws Exception {
        Latencies start = new Latencies();
        Latencies answer = new Latencies();
        Latencies answerToCompleted = new Latencies();
        AtomicLong completed = new AtomicLong();
        AtomicLong allCompleted = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean measuring = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String owner = "engine-user-" + i;
            threads.add(Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    try {
                        boolean recorded = measuring.get();
                        long t0 = System.nanoTime();
                        UUID id = engine.start("feature-approval", INPUT, owner, null).execution().id();
                        long t1 = System.nanoTime();
                        UUID request = awaitRequest(engine, id);
                        long t2 = System.nanoTime();
                        engine.answer(request, Set.of("ceo"), "engine-ceo", "{\"approved\":true}");
                        long t3 = System.nanoTime();
                        awaitCompleted(engine, id);
                        long t4 = System.nanoTime();
                        allCompleted.incrementAndGet();
                        if (recorded && measuring.get()) {
                            start.add(t1 - t0);
                            answer.add(t3 - t2);
                            answerToCompleted.add(t4 - t2);
                            completed.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                    }
                }
            }));
        }
        long self = ProcessHandle.current().pid();
        Duration warmedUp = Warmup.settle(allCompleted::get, () -> CpuTime.ofCompilers(self), warmup, maxWarmup);
        long commitsBefore = db.commits();
        double jvmBefore = CpuTime.ofProcess(self);
        double postgresBefore = CpuTime.ofCommand("postgres");
        long began = System.nanoTime();
        measuring.set(true);
        Thread.sleep(window.toMillis());
        measuring.set(false);
        double seconds = (System.nanoTime() - began) / 1e9;
        long commitsAfter = db.commits();
        double jvmAfter = CpuTime.ofProcess(self);
        double postgresAfter = CpuTime.ofCommand("postgres");
        running.set(false);
        for (Thread t : threads) {
            t.join(60_000);
        }
        long executions = completed.get();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "engine");
        line.put("db", db.vendor);
        line.put("clients", clients);
        line.put("warmup_s", Benchmark.round(warmedUp.toMillis() / 1000.0));
        line.put("seconds", Benchmark.round(seconds));
        line.put("executions", executions);
        line.put("executions_per_s", Benchmark.round(executions / seconds));
        line.put("start_p50_ms", Benchmark.round(start.percentileMillis(50)));
        line.put("start_p99_ms", Benchmark.round(start.percentileMillis(99)));
        line.put("answer_p50_ms", Benchmark.round(answer.percentileMillis(50)));
        line.put("answer_p99_ms", Benchmark.round(answer.percentileMillis(99)));
        line.put("answer_to_completed_p50_ms", Benchmark.round(answerToCompleted.percentileMillis(50)));
        line.put("step_transitions_per_s", Benchmark.round(executions * 4 / seconds));
        line.put("db_commits_per_execution", commitsBefore < 0 || executions == 0 ? "n/a"
                : Benchmark.round((commitsAfter - commitsBefore) / (double) executions));
        line.put("cpu_ms_per_execution_jvm", CpuTime.perExecution(jvmBefore, jvmAfter, executions));
        line.put("cpu_ms_per_execution_postgres", "postgresql".equals(db.vendor)
                ? CpuTime.perExecution(postgresBefore, postgresAfter, executions) : "n/a");
        line.put("errors", errors.get());
        return line;
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Waits as the API's waiting reads do: woken by the commit that created the request. */
    private static UUID awaitRequest(Engine engine, UUID execution) {
        LongPoll waits = CDI.current().select(LongPoll.class).get();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            // woken by this execution's new requests, as the API's inbox filtered to one execution
            List<RequestSnapshot> found = waits.await(WAIT, List.of(ChangeSignals.asked(execution)),
                    () -> engine.inbox(Set.of("ceo"), execution, 200), list -> !list.isEmpty()).value();
            if (!found.isEmpty()) {
                return found.get(0).id();
            }
        }
        throw new IllegalStateException("no ceo request for " + execution);
    }

    private static void awaitCompleted(Engine engine, UUID id) {
        LongPoll waits = CDI.current().select(LongPoll.class).get();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            boolean done = waits.await(WAIT, List.of(ChangeSignals.execution(id)), () -> engine.get(id),
                    e -> e.map(x -> x.status() == ExecutionStatus.COMPLETED).orElse(false)).value()
                    .map(e -> e.status() == ExecutionStatus.COMPLETED).orElse(false);
            if (done) {
                return;
            }
        }
        throw new IllegalStateException("execution " + id + " not completed");
    }
}
