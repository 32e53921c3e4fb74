package io.flowguard.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import io.flowguard.engine.graph.FlowRegistry;
import io.flowguard.store.UnfinishedExecutions;

/**
 * The unfinished executions per flow version that {@code GET /flows} shows. The read is one scan of
 * the executions, so a caller repeating the request must not repeat the scan: a read is shown
 * until it is {@value #TIMES} times as old as it took ({@link #SHORTEST} at least, {@link #LONGEST}
 * at most), which keeps the database busy with it at most 1/{@value #TIMES} of the time however
 * often it is asked, and shows a small database's counts all but at once. Concurrent callers wait
 * for the one read under way instead of starting their own. Time is the engine's clock.
 */
final class UnfinishedCounts {

    /** How many times its own duration a read is shown. */
    static final int TIMES = 20;
    /** The shortest a read is shown. */
    static final Duration SHORTEST = Duration.ofMillis(250);
    /** The longest a read is shown. */
    static final Duration LONGEST = Duration.ofSeconds(30);

    private static final Comparator<DeploymentReport.Unfinished> ORDER =
            Comparator.comparing(DeploymentReport.Unfinished::flow).thenComparingInt(DeploymentReport.Unfinished::version);

    private final UnfinishedExecutions database;
    private final FlowRegistry registry;
    private final Clock clock;
    private List<DeploymentReport.Unfinished> last;
    private Instant freshUntil;

    UnfinishedCounts(UnfinishedExecutions database, FlowRegistry registry, Clock clock) {
        this.database = database;
        this.registry = registry;
        this.clock = clock;
    }

    /** @return unfinished executions per stored flow and version, by flow and version */
    synchronized List<DeploymentReport.Unfinished> get() {
        Instant now = clock.instant();
        if (last == null || !now.isBefore(freshUntil)) {
            last = database.byVersion().stream()
                    .map(v -> new DeploymentReport.Unfinished(v.flow(), v.version(), v.count(),
                            registry.find(v.flow(), v.version()).isPresent()))
                    .sorted(ORDER).toList();
            Instant read = clock.instant();
            Duration shown = Duration.between(now, read).multipliedBy(TIMES);
            shown = shown.compareTo(SHORTEST) < 0 ? SHORTEST : shown.compareTo(LONGEST) > 0 ? LONGEST : shown;
            freshUntil = read.plus(shown);
        }
        return last;
    }
}
