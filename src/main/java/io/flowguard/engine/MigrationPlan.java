package io.flowguard.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.engine.graph.MigrationDefinition;
import io.flowguard.engine.graph.StepDefinition;
import io.flowguard.json.StrictJson;
import io.flowguard.store.AgentRequest;
import io.flowguard.store.FlowExecution;
import io.flowguard.store.StoreTransaction;

/**
 * Decides, for one execution as read, whether a declared migration can move it and to what, and
 * writes nothing: a dry run and a real run decide alike, so the dry run lists exactly what the
 * real run moves (while nothing changes in between). Every name it looks up is a stored name
 * passed through the declaration's mapping and then looked up in the new version's graph; the
 * old state is read into the type the migration method takes, never a type named by the data.
 */
final class MigrationPlan {

    /** The outcome for one execution. */
    sealed interface Decision permits Cannot, Move {
    }

    /**
     * It stays where it is.
     *
     * @param reason a stable code ({@link MigrationReport.Unmoved#reason()})
     * @param detail what exactly, safe to show
     */
    record Cannot(String reason, String detail) implements Decision {
    }

    /**
     * It moves.
     *
     * @param progress its bookkeeping under the new version's step names
     * @param state    the new state's JSON, validated and within the cap
     * @param requests its agent requests whose step is renamed
     */
    record Move(Progress progress, String state, List<StoreTransaction.RequestStep> requests) implements Decision {
    }

    private final StateCodec codec;
    private final FlowDefinition target;
    private final MigrationDefinition migration;

    MigrationPlan(StateCodec codec, FlowDefinition target, MigrationDefinition migration) {
        this.codec = codec;
        this.target = target;
        this.migration = migration;
    }

    /**
     * @param e        the execution as read (unfinished, on the migration's old version)
     * @param requests its agent requests, read after it
     * @param now      the current time
     * @return whether and how it moves
     */
    Decision decide(FlowExecution e, List<AgentRequest> requests, Instant now) {
        if (e.leaseExpiresAt() != null && e.leaseExpiresAt().isAfter(now)) {
            return new Cannot("running", "a worker holds its lease until " + e.leaseExpiresAt()
                    + " (a step is running); try again once it lets go");
        }
        Progress old;
        try {
            old = codec.readProgress(e.progress());
        } catch (RuntimeException unreadable) {
            return new Cannot("corrupt_execution", "its stored progress is unreadable");
        }
        List<String> queue = new ArrayList<>();
        for (String step : old.queue()) {
            Cannot refused = counterpartRefused(step, "queued", queue);
            if (refused != null) {
                return refused;
            }
        }
        List<String> waiting = new ArrayList<>();
        for (String step : old.waiting()) {
            Cannot refused = counterpartRefused(step, "waiting", waiting);
            if (refused != null) {
                return refused;
            }
            String to = waiting.get(waiting.size() - 1);
            if (!target.steps().get(to).asks()) {
                return new Cannot("not_asking", "it waits at '" + shown(step) + "', whose counterpart '" + to
                        + "' in version " + target.version() + " asks no agent");
            }
        }
        List<StoreTransaction.RequestStep> renamed = new ArrayList<>();
        for (AgentRequest request : requests) {
            String to = migration.counterpart(request.step());
            StepDefinition step = target.steps().get(to);
            if (request.status() == AgentRequest.Status.PENDING) {
                if (step == null) {
                    return new Cannot("no_counterpart", "its open request at '" + shown(request.step())
                            + "' has no counterpart step in version " + target.version());
                }
                if (!step.askRoles().contains(request.role())) {
                    return new Cannot("role_not_asked", "its open request to role '" + shown(request.role()) + "' at '"
                            + shown(request.step()) + "' would move to '" + to + "', which asks only "
                            + step.askRoles().stream().sorted().toList());
                }
            }
            if (step != null && !to.equals(request.step())) {
                renamed.add(new StoreTransaction.RequestStep(request.id(), request.version(), to));
            }
        }
        Decision state = newState(e.state());
        if (state instanceof Cannot cannot) {
            return cannot;
        }
        Progress progress = new Progress(queue, fired(old.fired()), activated(old.activated()),
                new LinkedHashSet<>(waiting), old.attempt());
        return new Move(progress, ((Move) state).state(), renamed);
    }

    /** Adds the step's counterpart to {@code into}, or says why it has none (or shares one). */
    private Cannot counterpartRefused(String step, String where, List<String> into) {
        String to = migration.counterpart(step);
        if (!target.steps().containsKey(to)) {
            return new Cannot("no_counterpart", "its " + where + " step '" + shown(step)
                    + "' has no counterpart in version " + target.version());
        }
        if (into.contains(to)) {
            return new Cannot("ambiguous", "two of its " + where + " steps move to '" + to + "'");
        }
        into.add(to);
        return null;
    }

    /** Steps it ran or queued, under their new names; those the new version lacks are left out. */
    private Set<String> activated(Set<String> old) {
        Set<String> activated = new LinkedHashSet<>();
        for (String step : old) {
            String to = migration.counterpart(step);
            if (target.steps().containsKey(to)) {
                activated.add(to);
            }
        }
        return activated;
    }

    /** Triggers fired (steps, labels, timeouts), under their new names; those the new version lacks are left out. */
    private Set<String> fired(Set<String> old) {
        Set<String> fired = new LinkedHashSet<>();
        for (String trigger : old) {
            String to;
            if (trigger.endsWith(FlowDefinition.TIMEOUT_SUFFIX)) {
                String asking = trigger.substring(0, trigger.length() - FlowDefinition.TIMEOUT_SUFFIX.length());
                to = migration.counterpart(asking) + FlowDefinition.TIMEOUT_SUFFIX;
            } else {
                to = migration.counterpart(trigger);
            }
            if (target.steps().containsKey(to) || target.edges().containsKey(to)) {
                fired.add(to);
            }
        }
        return fired;
    }

    /** @return a Move carrying only the new state's JSON, or why there is none */
    private Decision newState(String stored) {
        Object old;
        try {
            old = codec.readState(stored, migration.oldStateType());
        } catch (IllegalStateException unreadable) {
            String why = unreadable.getMessage() == null ? "" : unreadable.getMessage();
            int at = why.indexOf(": ");
            return new Cannot("state_unreadable", "its stored state does not read as the old state "
                    + migration.name() + " takes" + (at < 0 ? "" : ": " + why.substring(at + 2)));
        }
        Object migrated;
        try {
            migrated = migration.migrate(old);
        } catch (Exception | LinkageError | AssertionError thrown) {
            return new Cannot("migration_failed", migration.name() + " threw " + StepCommitter.summary(thrown));
        }
        if (migrated == null) {
            return new Cannot("migration_failed", migration.name() + " returned no state");
        }
        try {
            codec.validate(migrated);
            return new Move(null, codec.writeState(migrated), List.of());
        } catch (EngineException refused) {
            return refused.problem() == EngineException.Problem.STATE_TOO_LARGE
                    ? new Cannot("state_too_large", "the new " + refused.getMessage())
                    : new Cannot("state_invalid", "the new state is not valid: " + refused.getMessage());
        }
    }

    private static String shown(String stored) {
        return StrictJson.shown(stored);
    }
}
