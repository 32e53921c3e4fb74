package io.flowguard.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.engine.graph.FlowRegistry;
import io.flowguard.store.ExecutionWrite;
import io.flowguard.store.FlowExecution;
import io.flowguard.store.UnfinishedExecutions;

/**
 * Before an engine's workers start: counts the unfinished executions per flow and version, and
 * names every flow version they are on that is not registered, and every step they wait at
 * (their progress's waits, their open agent requests) or will run next (their progress's queue)
 * that the registered version does not have: what deploying a build that changed a released
 * version in place, or dropped it, leaves behind. With {@link OnMissing#REFUSE} the workers do not
 * start ({@link DeploymentRefused}); with {@link OnMissing#FAIL_EXECUTIONS} each such execution
 * fails once, as the engine fails one it meets at run time ({@code Unrunnable}: FAILED, history,
 * open asks closed, the owner's quota slot back), in transactions of {@value #BATCH}.
 *
 * <p>Reading costs one grouped scan of the unfinished executions and one of the pending requests
 * ({@link UnfinishedExecutions}): executions at the same point of the same flow share one progress
 * value, so the rows read back are the distinct points, not the executions. The run-time guard
 * stays: during a rolling deploy an older instance may still start executions this one meets.
 */
public final class DeploymentCheck {

    /** Executions failed per transaction. */
    static final int BATCH = 200;

    private static final Logger LOG = Logger.getLogger(DeploymentCheck.class.getName());
    private static final Comparator<Key> ORDER = Comparator.comparing(Key::flow).thenComparingInt(Key::version)
            .thenComparing(Key::step);

    private final FlowRegistry registry;
    private final UnfinishedExecutions unfinished;
    private final StateCodec codec;

    DeploymentCheck(FlowRegistry registry, UnfinishedExecutions unfinished, StateCodec codec) {
        this.registry = registry;
        this.unfinished = unfinished;
        this.codec = codec;
    }

    /**
     * Reads what unfinished executions on this database need of a build, changing nothing: what
     * {@code verify} reports without starting an engine.
     *
     * @param dataSource a database migrated by Flyway
     * @param registry   the flows the build registers
     * @return what the check finds
     * @throws io.flowguard.store.StoreException when the database cannot be read
     */
    public static DeploymentReport inspect(DataSource dataSource, FlowRegistry registry) {
        return new DeploymentCheck(registry, new UnfinishedExecutions(dataSource),
                new StateCodec(EngineSettings.HARD_MAX_STATE_BYTES)).inspect().report();
    }

    /**
     * What one check found and did.
     *
     * @param choice  what the engine was told to do about missing flows and steps
     * @param found   what it found
     * @param failed  with {@link OnMissing#FAIL_EXECUTIONS}: the missing versions and steps, each counted
     *                by the executions failed for it (an execution whose progress names two missing steps
     *                counts under both); else empty
     * @param failedCount executions failed
     * @param batches transactions the failing took
     * @param took    how long the check took, failing included
     */
    public record Outcome(OnMissing choice, DeploymentReport found, DeploymentReport failed, long failedCount,
                          int batches, Duration took) {

        /** @return true when the workers must not start */
        public boolean refused() {
            return choice == OnMissing.REFUSE && !found.runnable();
        }
    }

    /** Where an engine says what its check found and did: by default plain lines of this class's logger. */
    public interface Log {

        /**
         * Logs each outcome as one plain line: a pass at {@code FINE} (a test kit passes one per
         * test), a refusal (thrown as well) and what was failed at {@code WARNING}.
         */
        Log PLAIN = outcome -> {
            if (outcome.found().runnable()) {
                LOG.fine(() -> "deployment check passed: " + outcome.found().counts());
            } else if (outcome.refused()) {
                LOG.warning("deployment check refused: " + String.join("; ", outcome.found().findings()));
            } else {
                LOG.warning("deployment check: failed " + outcome.failedCount() + " unfinished executions ("
                        + OnMissing.KEY + "=" + OnMissing.FAIL_EXECUTIONS.value() + "): "
                        + String.join("; ", outcome.failed().findings()));
            }
        };

        /** @param outcome what one check found and did, before the workers start or are refused */
        void checked(Outcome outcome);
    }

    /** The flow, version and step (empty for a whole version) a count is about. */
    private record Key(String flow, int version, String step) {
    }

    /**
     * The report, and what failing the executions needs beside it: the progress values and asking
     * steps that name a missing step, to look those executions up by.
     */
    record Inspection(DeploymentReport report, List<UnfinishedExecutions.AtProgress> badProgress,
                      List<UnfinishedExecutions.AskingAt> badRequests) {
    }

    /** @return what the database holds now against the registry */
    Inspection inspect() {
        Map<Key, Long> perVersion = new TreeMap<>(ORDER);
        Map<Key, Long> fromProgress = new TreeMap<>(ORDER);
        List<UnfinishedExecutions.AtProgress> badProgress = new ArrayList<>();
        for (UnfinishedExecutions.AtProgress at : unfinished.byProgress()) {
            perVersion.merge(new Key(at.flow(), at.version(), ""), at.count(), Long::sum);
            Set<String> missing = missingSteps(at);
            if (!missing.isEmpty()) {
                badProgress.add(at);
                missing.forEach(step -> fromProgress.merge(new Key(at.flow(), at.version(), step), at.count(), Long::sum));
            }
        }
        Map<Key, Long> fromRequests = new TreeMap<>(ORDER);
        List<UnfinishedExecutions.AskingAt> badRequests = new ArrayList<>();
        for (UnfinishedExecutions.AskingAt asking : unfinished.byOpenRequest()) {
            FlowDefinition flow = registry.find(asking.flow(), asking.version()).orElse(null);
            if (flow != null && flow.step(asking.step()).isEmpty()) {
                badRequests.add(asking);
                fromRequests.merge(new Key(asking.flow(), asking.version(), asking.step()), asking.count(), Long::sum);
            }
        }
        List<DeploymentReport.Unfinished> counts = new ArrayList<>();
        List<DeploymentReport.MissingVersion> missingVersions = new ArrayList<>();
        perVersion.forEach((key, count) -> {
            boolean registered = registry.find(key.flow(), key.version()).isPresent();
            counts.add(new DeploymentReport.Unfinished(key.flow(), key.version(), count, registered));
            if (!registered) {
                missingVersions.add(new DeploymentReport.MissingVersion(key.flow(), key.version(), count));
            }
        });
        // An execution waiting at a step shows in its progress and in its open request: counted once. The
        // engine writes both in one transaction, so the progress count holds every request; where a row
        // says otherwise, the larger count is shown.
        Map<Key, Long> steps = new TreeMap<>(ORDER);
        steps.putAll(fromProgress);
        fromRequests.forEach((key, count) -> steps.merge(key, count, Math::max));
        List<DeploymentReport.MissingStep> missingSteps = new ArrayList<>();
        steps.forEach((key, count) -> missingSteps.add(
                new DeploymentReport.MissingStep(key.flow(), key.version(), key.step(), count)));
        return new Inspection(new DeploymentReport(counts, missingVersions, missingSteps), badProgress, badRequests);
    }

    /**
     * @return the steps its progress queues or waits at that its registered version does not have;
     *         none when the version is not registered (that is reported as a whole) or the progress is
     *         unreadable (the run-time guard fails it as {@code corrupt_execution})
     */
    private Set<String> missingSteps(UnfinishedExecutions.AtProgress at) {
        FlowDefinition flow = registry.find(at.flow(), at.version()).orElse(null);
        Set<String> missing = new TreeSet<>();
        if (flow == null) {
            return missing;
        }
        Progress progress;
        try {
            progress = codec.readProgress(at.progress());
        } catch (RuntimeException unreadable) {
            return missing;
        }
        Stream.concat(progress.queue().stream(), progress.waiting().stream())
                .filter(step -> flow.step(step).isEmpty()).forEach(missing::add);
        return missing;
    }

    /**
     * Runs the check once for an engine about to start: passes, refuses, or fails the executions
     * it found and passes.
     *
     * @param parts  the engine's parts
     * @param choice what to do about missing flows and steps
     * @param actor  who fails them (the engine's instance id), in their history
     * @param log    told the outcome
     * @return the outcome
     * @throws DeploymentRefused when {@code choice} is {@link OnMissing#REFUSE} and something is missing
     */
    Outcome run(EngineParts parts, OnMissing choice, String actor, Log log) {
        long start = System.nanoTime();
        Inspection found = inspect();
        Outcome outcome;
        if (found.report().runnable() || choice == OnMissing.REFUSE) {
            outcome = new Outcome(choice, found.report(), empty(), 0, 0, Duration.ofNanos(System.nanoTime() - start));
        } else {
            Failing failing = new Failing(parts, actor);
            failing.all(found);
            outcome = new Outcome(choice, found.report(), failing.counted(), failing.total, failing.batches,
                    Duration.ofNanos(System.nanoTime() - start));
        }
        log.checked(outcome);
        if (outcome.refused()) {
            throw new DeploymentRefused(found.report());
        }
        return outcome;
    }

    private static DeploymentReport empty() {
        return new DeploymentReport(List.of(), List.of(), List.of());
    }

    /** Fails the executions an inspection found, a batch per transaction, and counts them per finding. */
    private final class Failing {
        private final EngineParts parts;
        private final String actor;
        private final Map<Key, Long> versions = new TreeMap<>(ORDER);
        private final Map<Key, Long> steps = new TreeMap<>(ORDER);
        private int batches;
        private long total;

        Failing(EngineParts parts, String actor) {
            this.parts = parts;
            this.actor = actor;
        }

        void all(Inspection found) {
            for (DeploymentReport.MissingVersion missing : found.report().missingVersions()) {
                long failed = each(after -> unfinished.ofVersion(missing.flow(), missing.version(), after, BATCH),
                        Unrunnable.UNKNOWN_FLOW);
                versions.merge(new Key(missing.flow(), missing.version(), ""), failed, Long::sum);
            }
            for (UnfinishedExecutions.AtProgress at : found.badProgress()) {
                long failed = each(after -> unfinished.withProgress(at.flow(), at.version(), at.progress(), after, BATCH),
                        Unrunnable.UNKNOWN_STEP);
                missingSteps(at).forEach(step -> steps.merge(new Key(at.flow(), at.version(), step), failed, Long::sum));
            }
            for (UnfinishedExecutions.AskingAt asking : found.badRequests()) {
                long failed = each(after -> unfinished.askingAt(asking.flow(), asking.version(), asking.step(), after,
                        BATCH), Unrunnable.UNKNOWN_STEP);
                steps.merge(new Key(asking.flow(), asking.version(), asking.step()), failed, Long::sum);
            }
        }

        /** Fails, batch by batch, every execution the lookup finds; @return how many failed */
        private long each(Function<UUID, List<UnfinishedExecutions.Found>> lookup, String errorType) {
            long failed = 0;
            UUID after = null;
            while (true) {
                List<UnfinishedExecutions.Found> batch = lookup.apply(after);
                if (batch.isEmpty()) {
                    return failed;
                }
                int n = AgentWaits.retrying(() -> parts.store().transaction(tx -> {
                    Instant now = parts.clock().instant();
                    int written = 0;
                    for (UnfinishedExecutions.Found one : batch) {
                        FlowExecution e = tx.execution(one.id());
                        // changed since it was found: it moved on (an answer, a step of an older instance), left alone
                        if (e == null || e.version() != one.version() || e.status().isTerminal()) {
                            continue;
                        }
                        ExecutionWrite w = new ExecutionWrite(e);
                        Unrunnable.fail(parts, w, errorType, actor, now);
                        if (tx.commitIfUnchanged(w)) {
                            written++;
                        }
                    }
                    return written;
                }));
                failed += n;
                total += n;
                batches++;
                LOG.info("deployment check: failed " + n + " unfinished executions as " + errorType + " in batch "
                        + batches + ", " + total + " so far");
                if (batch.size() < BATCH) {
                    return failed;
                }
                after = batch.get(batch.size() - 1).id();
            }
        }

        DeploymentReport counted() {
            List<DeploymentReport.MissingVersion> v = new ArrayList<>();
            versions.forEach((key, count) -> {
                if (count > 0) {
                    v.add(new DeploymentReport.MissingVersion(key.flow(), key.version(), count));
                }
            });
            List<DeploymentReport.MissingStep> s = new ArrayList<>();
            steps.forEach((key, count) -> {
                if (count > 0) {
                    s.add(new DeploymentReport.MissingStep(key.flow(), key.version(), key.step(), count));
                }
            });
            return new DeploymentReport(List.of(), v, s);
        }
    }
}
