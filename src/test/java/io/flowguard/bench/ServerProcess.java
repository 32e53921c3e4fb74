package io.flowguard.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Flowguard instance as operators run it: {@code java -jar target/flowguard.jar} in the
 * prod profile, in its own process, on a loopback port, its output in a log file.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    final int port;
    final String name;

    private ServerProcess(Process process, int port, String name) {
        this.process = process;
        this.port = port;
        this.name = name;
    }

    /**
     * Runs {@code flowguard.jar} with {@code arguments} (a command such as {@code migrate}, or
     * nothing to serve) and the given environment.
     */
    static Process run(Path jar, Path log, Map<String, String> environment, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx1g", "-Dmp.config.profile=prod", "-jar",
                jar.toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        // run in the run's own folder: the transaction manager keeps its log (ObjectStore/) in
        // the working directory, which must not be the checkout
        ProcessBuilder builder = new ProcessBuilder(command).directory(log.toAbsolutePath().getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("FLOWGUARD_") || k.startsWith("MP_JWT"));
        builder.environment().putAll(environment);
        // extra JVM options for the servers only, e.g. a flight recording while tuning
        String serverOptions = System.getenv("FLOWGUARD_BENCH_SERVER_OPTS");
        if (serverOptions != null && !serverOptions.isBlank()) {
            builder.environment().put("JAVA_TOOL_OPTIONS", serverOptions);
        }
        return builder.start();
    }

    static ServerProcess start(Path jar, Path folder, String name, Map<String, String> environment)
            throws IOException, InterruptedException {
        int port = freePort();
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("SERVER_PORT", String.valueOf(port));
        env.put("SERVER_HOST", "127.0.0.1");
        env.put("FLOWGUARD_ENGINE_INSTANCE_ID", name);
        Process process = run(jar, folder.resolve(name + ".log"), env);
        ServerProcess server = new ServerProcess(process, port, name);
        server.awaitReady(Duration.ofSeconds(90));
        return server;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** @return the process's resident set size in MiB, from /proc (-1 where there is none) */
    double rssMiB() {
        return rssMiB(process.pid());
    }

    /** @return the resident set size in MiB of a process, from /proc (-1 where there is none) */
    static double rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Ends the process at once, as a crash or {@code kill -9} would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready");
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
