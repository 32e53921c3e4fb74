package io.flowguard.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.engine.graph.MigrationDefinition;
import io.flowguard.logging.LogFields;
import io.flowguard.store.EventType;
import io.flowguard.store.ExecutionWrite;
import io.flowguard.store.FlowExecution;
import io.flowguard.store.StoreTransaction;

/**
 * Runs a batch of a declared migration ({@link MigrationBatch}): looks at up to {@code limit}
 * unfinished executions of the old version, in id order, and moves each that can move to the new
 * version in a transaction of its own, or (a dry run) only decides, writing nothing.
 *
 * <p>A move is written under optimistic locking ({@link StoreTransaction#commitMigration}): only at
 * the version it was decided on, and while no worker holds a live lease. An execution that changed
 * meanwhile (answered, timed out, cancelled, claimed) is read and decided again; one that finished
 * or moved meanwhile is left out. Each move appends one {@link EventType#MIGRATED} event and, once
 * committed, writes one audit line; each batch writes one more.
 */
final class Migrator {

    private static final Logger AUDIT = Logger.getLogger("flowguard.audit");

    private final EngineParts parts;

    Migrator(EngineParts parts) {
        this.parts = parts;
    }

    /**
     * @param batch what to move
     * @param actor who runs it (an admin's subject), recorded in each history event
     * @return what moved (would move) and what did not, and why
     * @throws EngineException NOT_FOUND (no such flow), INVALID_INPUT (a limit or versions out of
     *                         range), UNKNOWN_FLOW (the target version is not registered) or
     *                         NO_MIGRATION (it declares no migration from that version); nothing is
     *                         read or written then
     */
    MigrationReport run(MigrationBatch batch, String actor) {
        FlowDefinition target = target(batch);
        MigrationDefinition migration = target.migrationFrom(batch.from()).orElseThrow(() -> new EngineException(
                EngineException.Problem.NO_MIGRATION, "version " + batch.to() + " of this flow declares no migration"
                + " from version " + batch.from()));
        MigrationPlan plan = new MigrationPlan(parts.codec(), target, migration);
        List<UUID> ids = parts.store().transaction(tx -> tx.unfinishedIds(target.name(), batch.from(), batch.after(),
                batch.limit()));
        List<UUID> moved = new ArrayList<>();
        List<MigrationReport.Unmoved> cannot = new ArrayList<>();
        for (UUID id : ids) {
            MigrationPlan.Decision decision = batch.dryRun() ? inspect(id, batch, plan) : move(id, batch, plan, actor);
            if (decision instanceof MigrationPlan.Move) {
                moved.add(id);
            } else if (decision instanceof MigrationPlan.Cannot c) {
                cannot.add(new MigrationReport.Unmoved(id, c.reason(), c.detail()));
            }
        }
        long left = parts.store().transaction(tx -> tx.unfinishedCount(target.name(), batch.from()));
        MigrationReport report = new MigrationReport(target.name(), batch.from(), batch.to(), batch.dryRun(), moved,
                cannot, batch.dryRun() ? Math.max(0, left - moved.size()) : left,
                ids.size() == batch.limit() ? ids.get(ids.size() - 1) : null);
        LogFields.log(AUDIT, Level.INFO, "event=migration_batch dry_run=" + batch.dryRun() + " moved=" + moved.size()
                        + " cannot=" + cannot.size() + " remaining=" + report.remaining(),
                "flow", target.name(), "from_version", batch.from(), "to_version", batch.to(), "actor", actor);
        return report;
    }

    private FlowDefinition target(MigrationBatch batch) {
        if (batch.flow() == null || parts.registry().latest(batch.flow()).isEmpty()) {
            throw new EngineException(EngineException.Problem.NOT_FOUND, "no such flow");
        }
        if (batch.limit() < 1 || batch.limit() > MigrationBatch.MAX_LIMIT) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT,
                    "limit is 1 to " + MigrationBatch.MAX_LIMIT + " executions");
        }
        if (batch.from() < 1 || batch.from() >= batch.to()) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT,
                    "from is a version of 1 or more, lower than to");
        }
        return parts.registry().find(batch.flow(), batch.to()).orElseThrow(() -> new EngineException(
                EngineException.Problem.UNKNOWN_FLOW, "version " + batch.to() + " of this flow is not registered"));
    }

    /** The dry run: decides on the execution as read now, in a transaction that writes nothing. */
    private MigrationPlan.Decision inspect(UUID id, MigrationBatch batch, MigrationPlan plan) {
        return parts.store().transaction(tx -> {
            FlowExecution e = candidate(tx, id, batch);
            return e == null ? null : plan.decide(e, tx.requestsOf(id), parts.clock().instant());
        });
    }

    /** The real run: decides and writes in one transaction, again from a fresh read when the row moved on. */
    private MigrationPlan.Decision move(UUID id, MigrationBatch batch, MigrationPlan plan, String actor) {
        try {
            return AgentWaits.retrying(() -> parts.store().transaction(tx -> {
                FlowExecution e = candidate(tx, id, batch);
                if (e == null) {
                    return null;
                }
                Instant now = parts.clock().instant();
                MigrationPlan.Decision decision = plan.decide(e, tx.requestsOf(id), now);
                if (decision instanceof MigrationPlan.Move move) {
                    write(tx, e, batch, move, actor, now);
                }
                return decision;
            }));
        } catch (EngineException busy) {
            return new MigrationPlan.Cannot("changed", "it kept changing while it was being moved; try again");
        }
    }

    private void write(StoreTransaction tx, FlowExecution e, MigrationBatch batch, MigrationPlan.Move move,
                       String actor, Instant now) {
        ExecutionWrite w = new ExecutionWrite(e);
        e.migrateTo(batch.to(), now);
        e.replaceState(move.state(), now);
        e.replaceProgress(parts.codec().write(move.progress()));
        w.append(EventType.MIGRATED, null, actor, "v" + batch.from() + " -> v" + batch.to(), now);
        String flow = e.flow(); // the registered name: the row was found by it
        UUID id = e.id();
        w.afterCommit(() -> LogFields.log(AUDIT, Level.INFO, "event=migrated execution=" + id + " from_version="
                + batch.from() + " to_version=" + batch.to(), "flow", flow, "actor", actor));
        if (!tx.commitMigration(w, batch.from(), move.requests(), now)) {
            throw new AgentWaits.MovedOn();
        }
    }

    /** @return the execution when it is still an unfinished one of the old version, else null (it finished or moved) */
    private static FlowExecution candidate(StoreTransaction tx, UUID id, MigrationBatch batch) {
        FlowExecution e = tx.execution(id);
        if (e == null || e.status().isTerminal() || e.flowVersion() != batch.from()) {
            return null;
        }
        return e;
    }
}
