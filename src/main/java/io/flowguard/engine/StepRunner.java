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
import io.flowguard.store.FlowExecution;
import io.flowguard.store.LeaseStore;
import io.flowguard.store.OneLineError;

/**
 * Drives one claimed execution: runs its queued steps one by one, each outside any transaction
 * (user code never holds a database transaction open) and each committed by {@link StepCommitter}.
 *
 * <p>Steps are at-least-once: if this worker dies between running a step and committing it,
 * another worker runs the step again after the lease expires. The {@link StepContext#stepRunId()}
 * is the same for both runs, for idempotent side effects.
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
            for (int i = 0; i < budget; i++) {
                if (worker.stopped()) {
                    return;
                }
                StepCommitter.Committed result = runOne(worker, executionId, committed, answered);
                if (result.result() == StepCommitter.Result.RERUN) {
                    committed = null;
                    answered = null;
                    continue;
                }
                if (result.result() != StepCommitter.Result.CONTINUE) {
                    return;
                }
                committed = result.execution();
                answered = null;
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
     * Runs the next step of an execution and commits it.
     *
     * @param known    the row as the previous step of this drive committed it, or null to read it
     * @param answered the request the transaction that made it runnable answered, or null
     */
    private StepCommitter.Committed runOne(Worker worker, UUID executionId, FlowExecution known,
                                           AgentRequest answered) {
        FlowExecution e = known != null ? known : committer.snapshot(executionId);
        if (e == null || !worker.id().equals(e.leaseOwner())
                || (e.status() != ExecutionStatus.PENDING && e.status() != ExecutionStatus.RUNNING)) {
            return StepCommitter.Committed.of(StepCommitter.Result.LOST);
        }
        Optional<FlowDefinition> flow = components.registry().find(e.flow(), e.flowVersion());
        if (flow.isEmpty()) {
            committer.failUnrunnable(worker.id(), e, Unrunnable.UNKNOWN_FLOW,
                    Unrunnable.message(Unrunnable.UNKNOWN_FLOW));
            return StepCommitter.Committed.of(StepCommitter.Result.STOP);
        }
        Progress progress;
        try {
            progress = components.codec().readProgress(e.progress());
        } catch (RuntimeException unreadable) {
            committer.failUnrunnable(worker.id(), e, "corrupt_execution", "stored progress is unreadable");
            return StepCommitter.Committed.of(StepCommitter.Result.STOP);
        }
        String stepName = progress.head();
        Optional<StepDefinition> step = stepName == null ? Optional.empty() : flow.get().step(stepName);
        if (step.isEmpty()) {
            committer.failUnrunnable(worker.id(), e, Unrunnable.UNKNOWN_STEP,
                    Unrunnable.message(Unrunnable.UNKNOWN_STEP));
            return StepCommitter.Committed.of(StepCommitter.Result.STOP);
        }
        StepRun run = new StepRun(worker.id(), executionId, flow.get(), stepName, progress.attempt(),
                components.clock().instant());
        StepOutcome outcome = null;
        Throwable failure = null;
        try {
            Object state = components.codec().readState(e.state(), flow.get().stateType());
            AgentAnswer answer = step.get().wantsAnswer() ? answerFor(executionId, step.get(), answered) : null;
            StepContext context = new StepRunContext(executionId, flow.get().name(), stepName,
                    executionId + ":" + stepName, progress.attempt(),
                    new StepServiceCalls(flow.get(), components.services(), components.codec()));
            outcome = step.get().run(state, context, answer);
            components.codec().validate(outcome.state());
        } catch (Exception | AssertionError | LinkageError thrown) {
            failure = thrown;
        }
        components.metrics().stepRan(flow.get().name(), stepName, Duration.between(run.startedAt(),
                components.clock().instant()));
        if (worker.stopped()) {
            return StepCommitter.Committed.of(StepCommitter.Result.LOST);
        }
        try {
            return committer.commit(run, e, outcome, failure);
        } catch (RuntimeException commitFailure) {
            LOG.warning("step commit failed, the step will run again after the lease expires: execution "
                    + executionId + " step " + stepName + ": " + OneLineError.of(commitFailure));
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

    /** What the runner needs of the worker that drives it. */
    interface Worker {
        /** @return the worker's id, which is the lease owner */
        String id();

        /** @return true once the worker must not commit any more (stopping or killed) */
        boolean stopped();
    }
}
