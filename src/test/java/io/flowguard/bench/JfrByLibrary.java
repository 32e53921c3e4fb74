package io.flowguard.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a server's CPU went, by library, from a JFR recording of a benchmark run (the profile
 * recipe of benchmarks.md): each CPU sample ({@code jdk.CPUTimeSample} where the JDK records them,
 * else {@code jdk.ExecutionSample}) counts for the first frame from the top that is not the JDK's
 * own, so time in {@code java.util} called by Hibernate is Hibernate's. Prints one
 * {@code bench=profile library=... share_pct=...} line per library, largest first.
 *
 * <p>{@code java -cp target/test-classes io.flowguard.bench.JfrByLibrary server.jfr [library]}; with a
 * library named, also its 25 methods where most samples landed, and the Flowguard method that
 * called into it ({@code bench=profile-method} lines), to see what in the product leads there.
 */
public final class JfrByLibrary {

    /** Package prefixes, most specific first, and the library they belong to. */
    private static final List<Map.Entry<String, String>> LIBRARIES = List.of(
            Map.entry("org.postgresql.", "pgjdbc"), Map.entry("org.hibernate.validator.", "hibernate-validator"),
            Map.entry("org.hibernate.", "hibernate"), Map.entry("org.glassfish.jersey.", "jersey"),
            Map.entry("org.glassfish.hk2.", "hk2"), Map.entry("org.jvnet.hk2.", "hk2"),
            Map.entry("io.helidon.security.", "helidon-security-jwt"),
            Map.entry("io.helidon.microprofile.jwt.", "helidon-security-jwt"),
            Map.entry("io.helidon.webserver.", "helidon-webserver"), Map.entry("io.helidon.http.", "helidon-webserver"),
            Map.entry("io.helidon.", "helidon-other"), Map.entry("com.fasterxml.", "jackson"),
            Map.entry("org.eclipse.parsson.", "json-p"), Map.entry("org.jboss.weld.", "weld"),
            Map.entry("com.arjuna.", "narayana"), Map.entry("io.narayana.", "narayana"),
            Map.entry("com.zaxxer.", "hikaricp"), Map.entry("io.micrometer.", "micrometer"),
            Map.entry("com.github.benmanes.", "caffeine"), Map.entry("io.flowguard.", "flowguard"),
            Map.entry("com.h2database.", "h2"), Map.entry("org.h2.", "h2"));
    private static final List<String> JDK = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

    private JfrByLibrary() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, Long> byLibrary = new LinkedHashMap<>();
        long cpuTime = 0;
        long execution = 0;
        Map<String, Long> fromExecution = new LinkedHashMap<>();
        String drill = args.length > 1 ? args[1] : null;
        Map<String, Long> methods = new LinkedHashMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = event.getEventType().getName();
            if (event.getStackTrace() == null) {
                continue;
            }
            if (type.equals("jdk.CPUTimeSample")) {
                cpuTime++;
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                String library = library(frames);
                byLibrary.merge(library, 1L, Long::sum);
                if (library.equals(drill)) {
                    methods.merge(method(frames), 1L, Long::sum);
                }
            } else if (type.equals("jdk.ExecutionSample")) {
                execution++;
                fromExecution.merge(library(event.getStackTrace().getFrames()), 1L, Long::sum);
            }
        }
        Map<String, Long> counts = cpuTime > 0 ? byLibrary : fromExecution;
        long total = cpuTime > 0 ? cpuTime : execution;
        String source = cpuTime > 0 ? "jdk.CPUTimeSample" : "jdk.ExecutionSample";
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> System.out.println(String.format(Locale.ROOT,
                        "bench=profile source=%s library=%s share_pct=%.1f samples=%d", source, e.getKey(),
                        100.0 * e.getValue() / total, e.getValue())));
        System.out.println("bench=profile source=" + source + " samples=" + total);
        methods.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(25)
                .forEach(e -> System.out.println(String.format(Locale.ROOT, "bench=profile-method library=%s "
                        + "share_pct=%.1f at=%s", drill, 100.0 * e.getValue() / total, e.getKey())));
    }

    /** @return the first non-JDK frame's method, and the nearest Flowguard method below it */
    private static String method(List<RecordedFrame> frames) {
        String top = null;
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (JDK.stream().anyMatch(type::startsWith)) {
                continue;
            }
            String name = type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
            if (top == null) {
                top = name;
            } else if (type.startsWith("io.flowguard.")) {
                return top + "<-" + name;
            }
        }
        return top;
    }

    private static String library(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (JDK.stream().anyMatch(type::startsWith)) {
                continue;
            }
            for (Map.Entry<String, String> library : LIBRARIES) {
                if (type.startsWith(library.getKey())) {
                    return library.getValue();
                }
            }
            int dot = type.lastIndexOf('.');
            return dot < 0 ? type : type.substring(0, dot);
        }
        return "jdk";
    }
}
