package io.flowguard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A system under test in a JVM of its own with its {@link CycleDriver} (Flowguard's engine
 * in-process, Flowable, DBOS) on a fresh database of its own. The harness warms it up by
 * {@link Warmup}'s rule (its JIT compilers read from /proc) and reads its CPU, PostgreSQL's and
 * the database's commits around the window; the driver counts and times the cycles.
 */
final class DriverContender implements Contender {

    private final String system;
    private final String bench;
    private final BenchDatabase db;
    private final DriverProcess driver;

    private DriverContender(String system, String bench, BenchDatabase db, DriverProcess driver) {
        this.system = system;
        this.bench = bench;
        this.db = db;
        this.driver = driver;
    }

    /**
     * Creates its database and starts {@code mainClass} with the arguments {@code url user password
     * folder} (the database's and a folder of its own) after {@code jvmOptions}.
     *
     * @param bench the result lines' {@code bench} value: engine, or peer
     */
    static DriverContender start(String system, String bench, String vendor, String classpath, String mainClass,
                                 List<String> jvmOptions) throws Exception {
        Path folder = Files.createTempDirectory("flowguard-bench-" + system + "-" + vendor);
        BenchDatabase db = BenchDatabase.create(vendor, folder);
        try {
            List<String> arguments = new ArrayList<>(List.of(db.url, db.user, db.password, folder.toString()));
            return new DriverContender(system, bench, db,
                    DriverProcess.start(classpath, mainClass, jvmOptions, arguments, folder.resolve(system + ".log")));
        } catch (Exception | Error e) {
            db.close();
            throw e;
        }
    }

    @Override
    public String system() {
        return system;
    }

    @Override
    public Map<String, Object> run(int clients, int round, Duration warmup, Duration maxWarmup, Duration window)
            throws Exception {
        driver.load(clients);
        Duration warmedUp = Warmup.settle(driver::completed, () -> CpuTime.ofCompilers(driver.pid()), warmup, maxWarmup);
        long commitsBefore = db.commits();
        double jvmBefore = CpuTime.ofProcess(driver.pid());
        double postgresBefore = CpuTime.ofCommand("postgres");
        driver.measure();
        Thread.sleep(window.toMillis());
        Map<String, Object> figures = driver.result();
        long commitsAfter = db.commits();
        double jvmAfter = CpuTime.ofProcess(driver.pid());
        double postgresAfter = CpuTime.ofCommand("postgres");
        double rss = ServerProcess.rssMiB(driver.pid());
        driver.stop();

        long executions = Long.parseLong(String.valueOf(figures.get("executions")));
        Object errors = figures.remove("errors");
        Object firstError = figures.remove("first_error");
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", bench);
        line.put("system", system);
        line.put("db", db.vendor);
        line.put("round", round);
        line.put("clients", clients);
        line.put("warmup_s", Benchmark.round(warmedUp.toMillis() / 1000.0));
        line.putAll(figures);
        line.put("db_commits_per_execution", commitsBefore < 0 || executions == 0 ? "n/a"
                : Benchmark.round((commitsAfter - commitsBefore) / (double) executions));
        // the system's JVM holds its clients too (no HTTP between them)
        line.put("cpu_ms_per_execution_jvm", CpuTime.perExecution(jvmBefore, jvmAfter, executions));
        line.put("cpu_ms_per_execution_postgres", "postgresql".equals(db.vendor)
                ? CpuTime.perExecution(postgresBefore, postgresAfter, executions) : "n/a");
        line.put("rss_mib", Benchmark.round(rss));
        line.put("errors", errors);
        if (firstError != null) {
            line.put("first_error", firstError);
        }
        return line;
    }

    @Override
    public void close() throws Exception {
        try {
            driver.close();
        } finally {
            db.close();
        }
    }
}
