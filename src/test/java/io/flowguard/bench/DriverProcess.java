package io.flowguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM of its own running one system under test and its {@link CycleDriver}, commanded over its
 * standard input; its answers are read from its standard output, everything else it prints goes
 * to a log file.
 */
final class DriverProcess implements AutoCloseable {

    private static final Pattern PAIR = Pattern.compile("([a-z0-9_]+)=(\"[^\"]*\"|\\S+)");

    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Path log;

    private DriverProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.commands = new PrintWriter(process.outputWriter(StandardCharsets.UTF_8), true);
        Thread.ofPlatform().daemon().name("bench-driver-output-" + process.pid()).start(this::readOutput);
    }

    /**
     * Starts {@code java -Xmx1g jvmOptions... -cp classpath mainClass arguments...} on the harness's own JDK and
     * waits until its system is up and its driver answers.
     *
     * @param log where the process's own output goes
     */
    static DriverProcess start(String classpath, String mainClass, List<String> jvmOptions, List<String> arguments,
                               Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ServerProcess.java(), "-Xmx1g"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).directory(log.toAbsolutePath().getParent().toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        DriverProcess driver = new DriverProcess(process, log);
        driver.expect("ready", driver.reply("start", Duration.ofMinutes(3)));
        return driver;
    }

    long pid() {
        return process.pid();
    }

    /** Starts {@code clients} clients. */
    void load(int clients) throws InterruptedException {
        expect("ok", ask("load " + clients, Duration.ofMinutes(1)));
    }

    /** @return cycles completed since {@link #load} */
    long completed() {
        try {
            return Long.parseLong(ask("completed", Duration.ofMinutes(1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    void measure() throws InterruptedException {
        expect("ok", ask("measure", Duration.ofMinutes(1)));
    }

    /** @return the window's figures since {@link #measure}, in the driver's order */
    Map<String, Object> result() throws InterruptedException {
        Map<String, Object> figures = new LinkedHashMap<>();
        Matcher pair = PAIR.matcher(ask("result", Duration.ofMinutes(1)));
        while (pair.find()) {
            figures.put(pair.group(1), pair.group(2));
        }
        return figures;
    }

    /** Stops the clients after their current cycle. */
    void stop() throws InterruptedException {
        expect("ok", ask("stop", Duration.ofMinutes(2)));
    }

    private String ask(String command, Duration timeout) throws InterruptedException {
        commands.println(command);
        return reply(command, timeout);
    }

    private String reply(String command, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String reply = replies.poll(1, TimeUnit.SECONDS);
            if (reply != null) {
                return reply;
            }
            if (!process.isAlive() && replies.isEmpty()) {
                throw new IllegalStateException("the process exited with " + process.exitValue()
                        + " before it answered '" + command + "'; see " + log);
            }
        }
        throw new IllegalStateException("no answer to '" + command + "' within " + timeout + "; see " + log);
    }

    private void expect(String expected, String reply) {
        if (!expected.equals(reply)) {
            throw new IllegalStateException("answered '" + reply + "' instead of '" + expected + "'; see " + log);
        }
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer toLog = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND)) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(CycleDriver.REPLY)) {
                    replies.add(line.substring(CycleDriver.REPLY.length()));
                } else {
                    toLog.write(line + "\n");
                    toLog.flush();
                }
            }
        } catch (IOException ended) {
            // the process ended
        }
    }

    /** Ends its input (the driver returns and the process exits), else ends the process. */
    @Override
    public void close() throws InterruptedException {
        commands.close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
