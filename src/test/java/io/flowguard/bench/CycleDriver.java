package io.flowguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The clients of one system under test, inside that system's own JVM: {@code n} threads each
 * running the system's {@link ApprovalCycle} in a loop, commanded by the harness
 * ({@link DriverProcess}) one line at a time on standard input. The harness decides when the
 * system has warmed up and reads the CPU and commit counters itself; the driver counts, times and
 * answers on standard output, each answer on one line starting with {@value #REPLY} (anything else
 * there is the system's own output):
 * <ul>
 *   <li>first, unasked: {@code ready};</li>
 *   <li>{@code load N}: start N clients (the previous ones stopped), answers {@code ok};</li>
 *   <li>{@code completed}: how many cycles completed since {@code load};</li>
 *   <li>{@code measure}: record from now on, answers {@code ok};</li>
 *   <li>{@code result}: stop recording, answers the window's figures as {@code key=value} pairs;</li>
 *   <li>{@code stop}: stop the clients after their current cycle, answers {@code ok}.</li>
 * </ul>
 * End of input ends {@link #serve}. Clients are platform threads: some systems under test block
 * in {@code synchronized} code, which on a JDK before 24 pins a virtual thread's carrier.
 *
 * <p>Compiled into the harness and into the peers' own build, so it uses only the JDK.
 */
public final class CycleDriver {

    /** The start of every line the harness reads as an answer. */
    static final String REPLY = "bench-driver: ";

    private final ApprovalCycle cycle;
    private final Latencies start = new Latencies();
    private final Latencies answer = new Latencies();
    private final Latencies answerToCompleted = new Latencies();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong measured = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean measuring;
    private volatile long measuringSince;

    private CycleDriver(ApprovalCycle cycle, int clients) {
        this.cycle = cycle;
        for (int i = 0; i < clients; i++) {
            int client = i;
            threads.add(Thread.ofPlatform().name("bench-client-" + i).start(() -> loop(client)));
        }
    }

    /** Answers the harness's commands until standard input ends; the clients of a last {@code load} stopped. */
    public static void serve(ApprovalCycle cycle) throws IOException, InterruptedException {
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        CycleDriver load = null;
        reply("ready");
        String command;
        while ((command = commands.readLine()) != null) {
            String[] words = command.strip().split(" ");
            switch (words[0]) {
                case "load" -> {
                    if (load != null) {
                        load.stop();
                    }
                    load = new CycleDriver(cycle, Integer.parseInt(words[1]));
                    reply("ok");
                }
                case "completed" -> reply(String.valueOf(load == null ? 0 : load.completed.get()));
                case "measure" -> {
                    load.measured.set(0);
                    load.measuringSince = System.nanoTime();
                    load.measuring = true;
                    reply("ok");
                }
                case "result" -> {
                    load.measuring = false;
                    reply(load.result());
                }
                case "stop" -> {
                    if (load != null) {
                        load.stop();
                        load = null;
                    }
                    reply("ok");
                }
                default -> reply("unknown command " + command);
            }
        }
        if (load != null) {
            load.stop();
        }
    }

    private static void reply(String text) {
        System.out.println(REPLY + text);
    }

    private void loop(int client) {
        while (running.get()) {
            boolean recorded = measuring;
            Timing timing = new Timing();
            long began = System.nanoTime();
            try {
                cycle.run(client, timing);
            } catch (Exception | AssertionError e) {
                errors.incrementAndGet();
                firstError.compareAndSet(null, e.toString());
                pause(Duration.ofMillis(50));
                continue;
            }
            long ended = System.nanoTime();
            completed.incrementAndGet();
            if (recorded && measuring) {
                start.add(timing.started - began);
                answer.add(timing.answered - timing.asked);
                answerToCompleted.add(ended - timing.asked);
                measured.incrementAndGet();
            }
        }
    }

    private String result() {
        double seconds = (System.nanoTime() - measuringSince) / 1e9;
        long executions = measured.get();
        Map<String, String> line = new LinkedHashMap<>();
        line.put("seconds", round(seconds));
        line.put("executions", String.valueOf(executions));
        line.put("executions_per_s", round(executions / seconds));
        line.put("start_p50_ms", round(start.percentileMillis(50)));
        line.put("start_p99_ms", round(start.percentileMillis(99)));
        line.put("answer_p50_ms", round(answer.percentileMillis(50)));
        line.put("answer_p99_ms", round(answer.percentileMillis(99)));
        line.put("answer_to_completed_p50_ms", round(answerToCompleted.percentileMillis(50)));
        line.put("answer_to_completed_p99_ms", round(answerToCompleted.percentileMillis(99)));
        line.put("errors", String.valueOf(errors.get()));
        if (firstError.get() != null) {
            line.put("first_error", "\"" + firstError.get().replace("\"", "'").replace("\n", " ") + "\"");
        }
        StringBuilder text = new StringBuilder();
        line.forEach((k, v) -> text.append(text.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return text.toString();
    }

    private void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(Duration.ofMinutes(1));
        }
    }

    /** A figure as the result lines print it: one decimal, a dot. */
    static String round(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** When one cycle passed its marks. */
    private static final class Timing implements ApprovalCycle.Marks {
        long started;
        long asked;
        long answered;

        @Override
        public void started() {
            started = System.nanoTime();
        }

        @Override
        public void asked() {
            asked = System.nanoTime();
        }

        @Override
        public void answered() {
            answered = System.nanoTime();
        }
    }
}
