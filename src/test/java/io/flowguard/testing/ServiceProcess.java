package io.flowguard.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The real entry point ({@code io.flowguard.ops.FlowguardMain}) in a process of its own, on the
 * product's class path ({@link ProductClassPath}) plus any entries a test adds, with no test
 * configuration. Its output is read as it comes, each line parsed as JSON (a line that is not one
 * JSON object fails the test that reads it); a test waits on the line it expects.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final Pattern STARTED = Pattern.compile("Server started on http://localhost:(\\d+)");

    private final Process process;
    private final List<JsonNode> lines = new ArrayList<>();
    private final List<String> notJson = new ArrayList<>();
    private boolean ended;

    private ServiceProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "service-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * @param extraClassPath entries after the product's (a team's hand-built class path)
     * @param options        {@code -D} options
     * @return the running process
     */
    public static ServiceProcess start(List<Path> extraClassPath, List<String> options) throws IOException {
        List<Path> classPath = new ArrayList<>(ProductClassPath.entries());
        classPath.addAll(extraClassPath);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp",
                classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator))));
        command.addAll(options);
        command.add("io.flowguard.ops.FlowguardMain");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("FLOWGUARD_") || k.startsWith("MP_"));
        return new ServiceProcess(builder.start());
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.isEmpty()) {
                    continue;
                }
                JsonNode parsed = parse(line);
                synchronized (this) {
                    if (parsed != null && parsed.isObject()) {
                        lines.add(parsed);
                    } else {
                        notJson.add(line);
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Waits for the first line that matches.
     *
     * @param what    what is awaited, for the failure message
     * @param matches the line's test
     * @param timeout the most to wait
     * @return the line
     */
    public synchronized JsonNode awaitLine(String what, Predicate<JsonNode> matches, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (true) {
            for (; seen < lines.size(); seen++) {
                if (matches.test(lines.get(seen))) {
                    return lines.get(seen);
                }
            }
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                throw new AssertionError((ended ? "the service ended" : "timed out") + " waiting for " + what
                        + "; its output: " + lines + (notJson.isEmpty() ? "" : " and not JSON: " + notJson));
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /**
     * @param timeout the most to wait for the server to start
     * @return the port it listens on
     */
    public int awaitPort(Duration timeout) throws InterruptedException {
        JsonNode started = awaitLine("the server to start",
                line -> STARTED.matcher(line.path("message").asText()).find(), timeout);
        Matcher port = STARTED.matcher(started.path("message").asText());
        port.find();
        return Integer.parseInt(port.group(1));
    }

    /**
     * @param timeout the most to wait
     * @return its exit code, once it ended on its own and its output was read
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the service kept running; its output: " + lines());
        }
        synchronized (this) {
            while (!ended) {
                wait();
            }
        }
        return process.exitValue();
    }

    /** @return the lines so far */
    public synchronized List<JsonNode> lines() {
        return List.copyOf(lines);
    }

    /** @return the lines so far that were not JSON objects */
    public synchronized List<String> notJson() {
        return List.copyOf(notJson);
    }

    /**
     * @param logger a logger name
     * @param level  a level name
     * @return the lines so far of that logger at that level
     */
    public List<JsonNode> lines(String logger, String level) {
        return lines().stream().filter(l -> l.path("logger").asText().equals(logger)
                && l.path("level").asText().equals(level)).toList();
    }

    /** @return the first line so far whose message starts so, if any */
    public Optional<JsonNode> lineStartingWith(String prefix) {
        return lines().stream().filter(l -> l.path("message").asText().startsWith(prefix)).findFirst();
    }

    /** Stops it (SIGTERM, its graceful shutdown) and waits for it to end. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
