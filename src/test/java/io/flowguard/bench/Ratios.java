package io.flowguard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flowguard's executions/s over each peer's, per client count, each system's figure the mean of
 * its runs at that count in the same window (one per round); several instances over HTTP
 * ({@code flowguard_http_x2}...) also over one instance's.
 */
final class Ratios {

    private static final List<String> PEERS = List.of("flowable", "dbos");

    private final Map<Integer, Map<String, List<Double>>> executionsPerSecond = new TreeMap<>();

    void add(int clients, String system, double value) {
        executionsPerSecond.computeIfAbsent(clients, c -> new LinkedHashMap<>())
                .computeIfAbsent(system, s -> new ArrayList<>()).add(value);
    }

    /** @return one line per Flowguard system, peer and client count that were both measured */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        executionsPerSecond.forEach((clients, bySystem) -> {
            // flowguard_http, flowguard_engine and any variant of them (--engine-variant)
            for (String flowguard : bySystem.keySet().stream().filter(s -> s.startsWith("flowguard_")).toList()) {
                List<String> against = new ArrayList<>(PEERS);
                if (flowguard.matches("flowguard_http_x\\d+")) {
                    against.add("flowguard_http"); // how it scales out: N instances over one
                }
                for (String peer : against) {
                    if (bySystem.containsKey(flowguard) && bySystem.containsKey(peer)) {
                        double ours = mean(bySystem.get(flowguard));
                        double theirs = mean(bySystem.get(peer));
                        lines.add("ratio " + flowguard + "/" + peer + " clients=" + clients + " value="
                                + String.format(java.util.Locale.ROOT, "%.2f", theirs == 0 ? Double.NaN : ours / theirs)
                                + " " + flowguard + "=" + Benchmark.round(ours) + " " + peer + "=" + Benchmark.round(theirs)
                                + " runs=" + bySystem.get(flowguard).size());
                    }
                }
            }
        });
        return lines;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
