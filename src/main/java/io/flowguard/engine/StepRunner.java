package io.flowguard.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.engine.graph.StepDefinition;
import io.flowguard.engine.graph.StepOutcome;
import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.StepContext;
import io.flowguard.store.AgentRequest;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.ExecutionWrite;
import io.flowguard.store.FlowExecution;
import io.flowguard.store.LeaseStore;
import io.flowguard.store.OneLineError;

/**
 * Drives one claimed execution: runs its queued steps one by one, each outside any transaction
 * (user code never holds a database transaction open), and commits them through
 * {@link StepCommitter} in batches: consecutive steps of one drive go into one transaction (up to
 * {@link EngineSettings#stepsPerCommit()}), so a flow's pure steps from a start to its first ask
 * cost one commit. A batch is committed as soon as a step parks, finishes, fails or schedules a
 * retry; after any step that called an outbound service or asked an agent (its effect is on
 * record, the ask answerable, before anything else runs); and once it has been open for the heartbeat interval (uncommitted work never
 * outlives a lease).
 *
 * <p>Steps are at-least-once: if this worker dies before a batch commits, another worker runs
 * the batch's steps again after the lease expires. The {@link StepContext#stepRunId()} is the
 * same for every run, for idempotent side effects.
 */
final class StepRunner {

    private static final Logger LOG = Logger.getLogger(StepRunner.class.getName());

    private final EngineParts components;
    private final StepCommitter committer;
    private final LeaseStore leases;

    StepRunner(EngineParts parts, LeaseStore leases) {
        this.components = parts;
        this.committer = new StepCommitter(parts);
        this.leases = leases;
    }

    /**
     * Runs steps of an execution the worker holds the lease of until it parks, finishes, waits for
     * a retry, or has had its share of steps for this lease. A claimed execution starts from a
     * fresh read; one handed off by a start or answer of this instance (see {@link LocalLease})
     * starts from the row that transaction committed, with the request it answered.
     *
     * @param worker      the worker holding the lease
     * @param executionId the execution
     * @param committed   its row as last committed, or null to read it
     * @param answered    the agent request that transaction answered, or null
     */
    void drive(Worker worker, UUID executionId, FlowExecution committed, AgentRequest answered) {
        // Every log line written while driving it can carry the execution's id (the service's logging).
        try (DriveObserver.Scope scope = components.drives().driving(executionId)) {
            int budget = components.settings().stepsPerClaim();
            Batch batch = null;
            for (int i = 0; i < budget; i++) {
                if (worker.stopped()) {
                    return;
                }
                if (batch == null) {
                    batch = open(worker, executionId, committed);
                    if (batch == null) {
                        return;
                    }
                }
                StepCommitter.Result decided = runOne(worker, batch, answered);
                answered = null;
                if (decided == null) {
                    return;
                }
                if (decided == StepCommitter.Result.CONTINUE && !batch.due(i + 1 == budget)) {
                    continue;
                }
                StepCommitter.Committed result = flush(batch, decided);
                batch = null;
                if (result.result() == StepCommitter.Result.RERUN) {
                    committed = null;
                    continue;
                }
                if (result.result() != StepCommitter.Result.CONTINUE) {
                    return;
                }
                committed = result.execution();
            }
            release(worker.id(), executionId);
        }
    }

    /**
     * Lets go of a lease this worker holds, if it still does.
     *
     * @param worker      the worker holding the lease
     * @param executionId an execution to let go of
     */
    void release(String worker, UUID executionId) {
        try {
            leases.release(executionId, worker);
        } catch (RuntimeException e) {
            LOG.warning("could not release lease on " + executionId + " (it lapses): " + OneLineError.of(e));
        }
    }

    /**
     * Opens a batch on an execution as committed (handed over, or read now), if this worker may
     * run it; fails it alone when its flow, step or stored progress cannot be run.
     *
     * @param known the row as committed, or null to read it
     * @return the batch, or null when there is nothing for this worker to run
     */
    private Batch open(Worker worker, UUID executionId, FlowExecution known) {
        FlowExecution e = known != null ? known : committer.snapshot(executionId);
        if (e == null || !worker.id().equals(e.leaseOwner())
                || (e.status() != ExecutionStatus.PENDING && e.status() != ExecutionStatus.RUNNING)) {
            return null;
        }
        Optional<FlowDefinition> flow = components.registry().find(e.flow(), e.flowVersion());
        if (flow.isEmpty()) {
            committer.failUnrunnable(worker.id(), e, Unrunnable.UNKNOWN_FLOW,
                    Unrunnable.message(Unrunnable.UNKNOWN_FLOW));
            return null;
        }
        Progress progress;
        try {
            progress = components.codec().readProgress(e.progress());
        } catch (RuntimeException unreadable) {
            committer.failUnrunnable(worker.id(), e, "corrupt_execution", "stored progress is unreadable");
            return null;
        }
        String head = progress.head();
        if (head == null || flow.get().step(head).isEmpty()) {
            committer.failUnrunnable(worker.id(), e, Unrunnable.UNKNOWN_STEP,
                    Unrunnable.message(Unrunnable.UNKNOWN_STEP));
            return null;
        }
        return new Batch(new ExecutionWrite(e), flow.get(), components.clock().instant(),
                components.settings().stepsPerCommit(), components.settings().heartbeatInterval());
    }

    /**
     * Runs the batch's next step on the batch's row (as its previous step left it) and decides
     * its result into the batch's write.
     *
     * @param answered the request the transaction that made the execution runnable answered, or null
     * @return CONTINUE or STOP, or null when the worker stopped meanwhile (nothing is committed)
     */
    private StepCommitter.Result runOne(Worker worker, Batch batch, AgentRequest answered) {
        FlowExecution e = batch.write().row();
        FlowDefinition flow = batch.flow();
        Progress progress = components.codec().readProgress(e.progress());
        String stepName = progress.head();
        // The batch's row is this drive's own: its head is a step of the flow (checked on open, then
        // set only by the flow's graph).
        StepDefinition step = flow.step(stepName).orElseThrow();
        StepRun run = new StepRun(worker.id(), e.id(), flow, stepName, progress.attempt(),
                components.clock().instant());
        StepOutcome outcome = null;
        Throwable failure = null;
        StepRunContext context = new StepRunContext(e.id(), flow.name(), stepName, e.id() + ":" + stepName,
                progress.attempt(), new StepServiceCalls(flow, components.services(), components.codec()));
        try {
            Object state = components.codec().readState(e.state(), flow.stateType());
            AgentAnswer answer = step.wantsAnswer() ? answerFor(e.id(), step, answered) : null;
            outcome = step.run(state, context, answer);
            components.codec().validate(outcome.state());
        } catch (Exception | AssertionError | LinkageError thrown) {
            failure = thrown;
        }
        components.metrics().stepRan(flow.name(), stepName, Duration.between(run.startedAt(),
                components.clock().instant()));
        if (worker.stopped()) {
            return null;
        }
        // What a step sent out or asked for is committed before anything else runs: the service's effect
        // is on record, the ask can be answered at once.
        batch.ran(run, context.calls() > 0 || outcome instanceof StepOutcome.Asked);
        return committer.apply(run, batch.write(), outcome, failure);
    }

    /** Commits a batch; a commit that fails is a lost lease: the batch runs again after it expires. */
    private StepCommitter.Committed flush(Batch batch, StepCommitter.Result decided) {
        try {
            return committer.flush(batch.write(), batch.last(), decided);
        } catch (RuntimeException commitFailure) {
            LOG.warning("step commit failed, the steps will run again after the lease expires: execution "
                    + batch.last().executionId() + " steps " + batch.steps() + " to " + batch.last().step()
                    + ": " + OneLineError.of(commitFailure));
            return StepCommitter.Committed.of(StepCommitter.Result.LOST);
        }
    }

    /**
     * The newest answer among the step's triggers: the one just answered when the answer handed
     * the execution over (it is the newest), else read.
     */
    private AgentAnswer answerFor(UUID executionId, StepDefinition step, AgentRequest justAnswered) {
        AgentRequest request = justAnswered != null && step.triggers().contains(justAnswered.step())
                ? justAnswered
                : components.store().transaction(tx -> tx.lastAnswered(executionId, step.triggers()));
        if (request == null) {
            return null;
        }
        return new AgentAnswer(request.role(), request.answeredBy(), components.codec().readObject(request.answer()),
                request.answeredAt());
    }

    /**
     * Steps of one drive run but not yet committed: one write holding all they changed, decided
     * on the row as it was committed before the first of them.
     */
    private final class Batch {
        private final ExecutionWrite write;
        private final FlowDefinition flow;
        private final Instant openedAt;
        private final int maxSteps;
        private final Duration maxOpen;
        private int steps;
        private boolean mustCommit;
        private StepRun last;

        Batch(ExecutionWrite write, FlowDefinition flow, Instant openedAt, int maxSteps, Duration maxOpen) {
            this.write = write;
            this.flow = flow;
            this.openedAt = openedAt;
            this.maxSteps = maxSteps;
            this.maxOpen = maxOpen;
        }

        ExecutionWrite write() {
            return write;
        }

        FlowDefinition flow() {
            return flow;
        }

        StepRun last() {
            return last;
        }

        int steps() {
            return steps;
        }

        /**
         * @param run        a step that ran in the batch
         * @param mustCommit it called a service or asked an agent: commit before the next step runs
         */
        void ran(StepRun run, boolean mustCommit) {
            steps++;
            last = run;
            this.mustCommit |= mustCommit;
        }

        /**
         * @param lastOfClaim the drive's step budget is spent
         * @return true when the batch must commit now although more steps are queued
         */
        boolean due(boolean lastOfClaim) {
            return lastOfClaim || mustCommit || steps >= maxSteps
                    || Duration.between(openedAt, components.clock().instant()).compareTo(maxOpen) >= 0;
        }
    }

    /** What the runner needs of the worker that drives it. */
    interface Worker {
        /** @return the worker's id, which is the lease owner */
        String id();

        /** @return true once the worker must not commit any more (stopping or killed) */
        boolean stopped();
    }
}
