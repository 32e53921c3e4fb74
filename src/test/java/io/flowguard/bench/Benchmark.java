package io.flowguard.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.flowguard.security.DevKeys;

/**
 * The benchmark harness: Flowguard over HTTP ({@link HttpContender}: {@code target/flowguard.jar}
 * in the prod profile, real JWTs), Flowguard in-process ({@link InProcessEngine}) and, on
 * PostgreSQL, the peers Flowable and DBOS (src/bench, built by {@code -Pbench}), each up for the
 * whole run on a fresh database of its own, driven through the same approval cycle at 1, 4, 16
 * and 64 concurrent clients, interleaved: for each client count every system in turn, then again
 * in reverse order, each warmed up by {@link Warmup}'s rule. Prints one {@code key=value} line per
 * run and then Flowguard's throughput over each peer's per client count ({@link Ratios}), all
 * appended to {@code target/bench/results.txt}; then pgbench's one-row updates at the same client
 * counts and the scale-out run ({@link ScaleOut}: three instances, one killed with kill -9),
 * exiting non-zero when anything was lost. Run by
 * {@code mvn -Pbench -DskipTests package exec:exec@bench}; options: {@code --db=postgresql,h2
 * --clients=1,4,16,64 --warmup=PT15S --max-warmup=PT180S --duration=PT20S --http=false
 * --engine=false --flowable=false --dbos=false --pgbench=false --scale-out=false
 * --scale-out-clients=16 --kill-after=PT10S --run-after-kill=PT15S --lease=PT10S --poll=wait
 * --instances=1}; {@code --instances=1,2,3} runs Flowguard over HTTP once per count, that many
 * servers on one database with the clients spread over them ({@code flowguard_http_x2}...);
 * {@code --poll} is {@code wait} (clients wait with {@code Prefer: wait}) or the interval at
 * which clients ask again instead. Off by default: {@code --hot-updates=N} (with
 * {@code --hot-claimed=true|false}) runs N cycles per client count and counts HOT updates
 * ({@link HotUpdates}); {@code --query-cost=1000,100000} explains the store's statements over that
 * many parked executions ({@link QueryCost}); {@code --engine-variant=steps1:flowguard.engine.steps-per-commit=1}
 * adds an in-process engine run with those settings ({@code flowguard_engine_steps1}), to measure a
 * change against the default in the same run.
 */
public final class Benchmark {

    static final String ISSUER = "flowguard-bench";
    static final String AUDIENCE = "flowguard";
    /** Where the peers' build (src/bench/pom.xml, run by {@code -Pbench}) leaves their classes and class path. */
    private static final Path PEERS = Path.of("target/bench-peers");
    /**
     * How often a client looks at the inbox or an execution while waiting ({@code --poll}), or
     * null when it waits on the server ({@code --poll=wait}, the default).
     */
    static Duration poll;

    private Benchmark() {
    }

    /**
     * @param option {@code --engine-variant}: {@code name:key=value[;key=value]}, several separated by {@code ,}
     * @return each variant, checked for its shape
     */
    private static List<String> variants(String option) {
        if (option == null || option.isBlank()) {
            return List.of();
        }
        List<String> variants = List.of(option.split(","));
        for (String variant : variants) {
            if (!variant.matches("[a-z0-9]+:[\\w.-]+=[^;]*(;[\\w.-]+=[^;]*)*")) {
                throw new IllegalArgumentException("--engine-variant is name:key=value[;key=value], not " + variant);
            }
        }
        return variants;
    }

    /** @return the numbers of a comma-separated option such as {@code --clients=4,16} */
    private static List<Integer> counts(String option) {
        return List.of(option.split(",")).stream().map(String::strip).map(Integer::parseInt).toList();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path jar = Path.of(options.getOrDefault("jar", "target/flowguard.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (mvn -DskipTests package)");
        }
        List<Integer> clients = counts(options.getOrDefault("clients", "1,4,16,64"));
        Duration warmup = Duration.parse(options.getOrDefault("warmup", "PT15S"));
        Duration maxWarmup = Duration.parse(options.getOrDefault("max-warmup", "PT180S"));
        Duration window = Duration.parse(options.getOrDefault("duration", "PT20S"));
        String pollOption = options.getOrDefault("poll", "wait");
        poll = pollOption.equals("wait") ? null : Duration.parse(pollOption);
        Path out = Path.of(options.getOrDefault("out", "target/bench/results.txt"));
        Files.createDirectories(out.getParent());
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("bench", "run");
        header.put("java", Runtime.version());
        header.put("java_home", System.getProperty("java.home"));
        header.put("cores", Runtime.getRuntime().availableProcessors());
        header.put("started", Instant.now().truncatedTo(ChronoUnit.SECONDS));
        emit(out, header);
        List<String> vendors = List.of(options.getOrDefault("db", "postgresql,h2").split(",")).stream()
                .map(String::strip).toList();
        for (String vendor : vendors) {
            List<Contender> contenders = new ArrayList<>();
            try {
                if (!"false".equals(options.get("http"))) {
                    for (int instances : counts(options.getOrDefault("instances", "1"))) {
                        contenders.add(HttpContender.start(jar, vendor, instances));
                    }
                }
                if (!"false".equals(options.get("engine"))) {
                    contenders.add(DriverContender.start("flowguard_engine", "engine", vendor,
                            System.getProperty("java.class.path"), InProcessEngine.class.getName(),
                            List.of("-Dmp.config.profile=prod")));
                }
                for (String variant : variants(options.get("engine-variant"))) {
                    String name = variant.substring(0, variant.indexOf(':'));
                    List<String> jvm = new ArrayList<>(List.of("-Dmp.config.profile=prod"));
                    for (String setting : variant.substring(variant.indexOf(':') + 1).split(";")) {
                        jvm.add("-D" + setting);
                    }
                    contenders.add(DriverContender.start("flowguard_engine_" + name, "engine", vendor,
                            System.getProperty("java.class.path"), InProcessEngine.class.getName(), jvm));
                }
                if ("postgresql".equals(vendor)) {
                    for (String peer : List.of("flowable", "dbos")) {
                        if (!"false".equals(options.get(peer))) {
                            peer(peer, out).ifPresent(contenders::add);
                        }
                    }
                }
                interleave(contenders, clients, warmup, maxWarmup, window, out);
            } finally {
                for (Contender c : contenders.reversed()) {
                    c.close();
                }
            }
        }
        if (vendors.contains("postgresql") && !"false".equals(options.get("pgbench"))) {
            databaseCeiling(clients, out);
        }
        if (options.containsKey("query-cost")) {
            for (Map<String, Object> line : QueryCost.run(List.of(options.get("query-cost").split(",")).stream()
                    .map(String::strip).map(Integer::parseInt).toList())) {
                emit(out, line);
            }
        }
        if (options.containsKey("hot-updates")) {
            for (int n : clients) {
                for (Map<String, Object> line : HotUpdates.run(Integer.parseInt(options.get("hot-updates")), n,
                        "true".equals(options.get("hot-claimed")))) {
                    emit(out, line);
                }
            }
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

    /**
     * For each client count every contender in turn, then again in reverse order, so that a slow
     * or fast moment of the machine falls on all of them; then the ratios of these runs.
     */
    private static void interleave(List<Contender> contenders, List<Integer> clientCounts, Duration warmup,
                                   Duration maxWarmup, Duration window, Path out) throws Exception {
        Ratios ratios = new Ratios();
        for (int n : clientCounts) {
            for (int round = 1; round <= 2; round++) {
                for (Contender c : round == 1 ? contenders : contenders.reversed()) {
                    Map<String, Object> line = c.run(n, round, warmup, maxWarmup, window);
                    emit(out, line);
                    ratios.add(n, c.system(), Double.parseDouble(String.valueOf(line.get("executions_per_s"))));
                }
            }
        }
        for (String line : ratios.lines()) {
            System.out.println(line);
            Files.writeString(out, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /**
     * A peer in a JVM of its own on the class path its own build resolved (their libraries'
     * versions, not the ones Helidon's dependency management gives Flowguard's class path).
     *
     * @return the started peer, or nothing (and a {@code skipped} line) when the peers were not built
     */
    private static Optional<Contender> peer(String name, Path out) throws Exception {
        Path classpath = PEERS.resolve("classpath.txt");
        if (!Files.isRegularFile(classpath)) {
            Map<String, Object> skipped = new LinkedHashMap<>();
            skipped.put("bench", "peer");
            skipped.put("system", name);
            skipped.put("skipped", "not_built_(mvn_-Pbench_package)");
            emit(out, skipped);
            return Optional.empty();
        }
        String mainClass = "io.flowguard.bench.peers." + (name.equals("dbos") ? "DbosPeer" : "FlowablePeer");
        return Optional.of(DriverContender.start(name, "peer", "postgresql",
                PEERS.resolve("classes").toAbsolutePath() + File.pathSeparator + Files.readString(classpath).strip(),
                mainClass, List.of()));
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

    static String round(double value) {
        return CycleDriver.round(value);
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
