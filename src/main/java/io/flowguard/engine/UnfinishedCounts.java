package io.flowguard.engine;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import io.flowguard.engine.graph.FlowRegistry;
import io.flowguard.store.UnfinishedExecutions;

/**
 * The unfinished executions per flow version that {@code GET /flows} shows, read from the database
 * at most every {@link #FRESH} (5 s) whatever the number of callers: the read is one scan of the
 * executions, so a caller repeating the request must not repeat the scan. Concurrent callers wait
 * for the one read under way instead of starting their own.
 */
final class UnfinishedCounts {

    /** How long a read is shown before the next caller reads again. */
    static final Duration FRESH = Duration.ofSeconds(5);

    private static final Comparator<DeploymentReport.Unfinished> ORDER =
            Comparator.comparing(DeploymentReport.Unfinished::flow).thenComparingInt(DeploymentReport.Unfinished::version);

    private final UnfinishedExecutions database;
    private final FlowRegistry registry;
    private List<DeploymentReport.Unfinished> last;
    private long readAt;

    UnfinishedCounts(UnfinishedExecutions database, FlowRegistry registry) {
        this.database = database;
        this.registry = registry;
    }

    /** @return unfinished executions per stored flow and version, by flow and version, at most {@link #FRESH} old */
    synchronized List<DeploymentReport.Unfinished> get() {
        long now = System.nanoTime();
        if (last == null || now - readAt > FRESH.toNanos()) {
            last = database.byVersion().stream()
                    .map(v -> new DeploymentReport.Unfinished(v.flow(), v.version(), v.count(),
                            registry.find(v.flow(), v.version()).isPresent()))
                    .sorted(ORDER).toList();
            readAt = now;
        }
        return last;
    }
}
