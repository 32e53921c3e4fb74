package io.flowguard.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.logging.Logger;

import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.engine.graph.RetryPolicy;
import io.flowguard.engine.graph.StepOutcome;
import io.flowguard.store.AgentRequest;
import io.flowguard.store.EventType;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.ExecutionWrite;
import io.flowguard.store.FlowExecution;

/**
 * Commits steps' results: one transaction holding the new state, the history events, the next
 * activations and the version bump of one or more consecutive steps of a drive ({@link StepRunner}
 * decides how many), decided on the row the first of them ran on and written through the
 * store's step fence ({@link io.flowguard.store.StoreTransaction#commitStep}): only while this
 * worker holds an unexpired lease and the row is still at the version the step ran on. A worker
 * that stalled past its lease, whose lease was taken over, or whose execution changed meanwhile
 * commits nothing of its steps; a cancelled execution records that the result was discarded.
 */
final class StepCommitter {

    private static final Logger LOG = Logger.getLogger(StepCommitter.class.getName());

    private final EngineParts parts;

    StepCommitter(EngineParts parts) {
        this.parts = parts;
    }

    /** What became of a commit. */
    enum Result {
        /** Committed; more steps are queued under this lease. */
        CONTINUE,
        /** Committed; the execution parked, finished, or waits for a retry. */
        STOP,
        /** Not committed: the row changed while the step ran, but the lease is still this worker's: run again from the row as it is now. */
        RERUN,
        /** Not committed: the lease was lost, expired, or the execution ended underneath. */
        LOST
    }

    /**
     * A commit's result and, when more steps follow under the same lease, the row as committed:
     * the next step starts from it instead of reading the row again (one transaction less per
     * step). Anything that changed the row since is caught by the next commit's fence.
     *
     * @param result    what the worker should do next
     * @param execution the committed row when {@code result} is CONTINUE, else null
     */
    record Committed(Result result, FlowExecution execution) {
        static Committed of(Result result) {
            return new Committed(result, null);
        }
    }

    /**
     * Decides what a step that ran (or threw) changes, into the write of its drive's open batch:
     * nothing is committed yet ({@link #flush} does that, for every step of the batch at once).
     *
     * @param run     which step ran, for whom, and when
     * @param w       the batch's write, whose row the step ran on (changed in place)
     * @param outcome what it produced, or null when it threw
     * @param failure what it threw, or null
     * @return CONTINUE when more steps are queued under this lease, else STOP
     */
    Result apply(StepRun run, ExecutionWrite w, StepOutcome outcome, Throwable failure) {
        Instant now = parts.clock().instant();
        FlowExecution e = w.row();
        Progress progress = parts.codec().readProgress(e.progress());
        if (e.status() == ExecutionStatus.PENDING) {
            History.move(w, ExecutionStatus.RUNNING, run.worker(), now);
        }
        w.append(EventType.STEP_STARTED, run.step(), run.worker(), "attempt " + run.attempt(), run.startedAt());
        return failure != null ? failed(w, run, progress, failure, now) : succeeded(w, run, progress, outcome, now);
    }

    /**
     * Commits a batch of steps through the step fence, in one transaction.
     *
     * @param w       the batch's write
     * @param last    the batch's last step run
     * @param decided what {@link #apply} decided for it
     * @return what the worker should do next, with the committed row when it continues
     */
    Committed flush(ExecutionWrite w, StepRun last, Result decided) {
        if (!fenced(w, last.worker(), parts.clock().instant())) {
            return Committed.of(lost(last));
        }
        return decided == Result.CONTINUE ? new Committed(Result.CONTINUE, w.row()) : Committed.of(decided);
    }

    private Result succeeded(ExecutionWrite w, StepRun run, Progress progress, StepOutcome outcome, Instant now) {
        FlowExecution e = w.row();
        String stateJson;
        try {
            stateJson = parts.codec().writeState(outcome.state());
        } catch (EngineException tooLarge) {
            w.append(EventType.FAILED, run.step(), run.worker(), tooLarge.getMessage(), now);
            Settle.end(parts, w, ExecutionStatus.FAILED, "state_too_large",
                    "step " + run.step() + ": " + tooLarge.getMessage(), run.worker(), now);
            return Result.STOP;
        }
        e.replaceState(stateJson, now);
        w.append(EventType.STEP_COMPLETED, run.step(), run.worker(), null, now);
        Progress next = advance(w, run, progress.popHead(), outcome, now);
        return Settle.apply(parts, w, next, run.worker(), now) == Settle.Next.CONTINUE ? Result.CONTINUE : Result.STOP;
    }

    private Progress advance(ExecutionWrite w, StepRun run, Progress progress, StepOutcome outcome, Instant now) {
        FlowDefinition flow = run.flow();
        return switch (outcome) {
            case StepOutcome.Done done -> progress.after(flow, run.step());
            case StepOutcome.Routed routed -> {
                w.append(EventType.ROUTED, run.step(), run.worker(), routed.label(), now);
                yield progress.after(flow, routed.label());
            }
            case StepOutcome.Asked asked -> {
                Duration wait = parts.settings().agentWait(asked.ask().timeout());
                AgentRequest request = new AgentRequest(UUID.randomUUID(), w.row().id(), asked.ask().role(),
                        run.step(), truncate(asked.ask().question(), 2000), parts.codec().write(asked.ask().payload()),
                        now.plus(wait), now);
                w.ask(request);
                w.append(EventType.ASKED, run.step(), run.worker(), "role " + asked.ask().role()
                        + ", request " + request.id() + ", deadline " + request.deadline(), now);
                yield progress.waitFor(run.step());
            }
        };
    }

    private Result failed(ExecutionWrite w, StepRun run, Progress progress, Throwable failure, Instant now) {
        FlowExecution e = w.row();
        RetryPolicy policy = run.flow().step(run.step()).orElseThrow().retry();
        String error = summary(failure);
        if (policy.allowsRetryAfter(run.attempt())) {
            Duration delay = policy.delayAfter(run.attempt());
            w.append(EventType.RETRY_SCHEDULED, run.step(), run.worker(),
                    "attempt " + run.attempt() + " failed: " + error + "; next attempt in " + delay, now);
            e.replaceProgress(parts.codec().write(progress.nextAttempt()));
            e.scheduleAt(now.plus(delay));
            e.lease(null, null);
            return Result.STOP;
        }
        w.append(EventType.STEP_FAILED, run.step(), run.worker(), error, now);
        String reason = "step " + run.step() + " failed after " + run.attempt() + " attempt(s): " + error;
        Settle.end(parts, w, ExecutionStatus.FAILED, "step_failed", reason, run.worker(), now);
        String flow = run.flow().name();
        w.afterCommit(() -> LOG.warning("execution of flow " + flow + " failed: " + reason));
        return Result.STOP;
    }

    /**
     * Fails an execution that cannot run at all (its stored flow or step is not registered, or
     * its stored data is unreadable); the others run on. Either way its quota slot is given back.
     *
     * @param worker    the worker holding its lease
     * @param row       the execution as read
     * @param errorType {@code unknown_flow}, {@code unknown_step} or {@code corrupt_execution}
     * @param message   a safe description
     */
    void failUnrunnable(String worker, FlowExecution row, String errorType, String message) {
        Instant now = parts.clock().instant();
        ExecutionWrite w = new ExecutionWrite(row);
        if (Unrunnable.UNKNOWN_FLOW.equals(errorType) || Unrunnable.UNKNOWN_STEP.equals(errorType)) {
            Unrunnable.fail(parts, w, errorType, worker, now);
        } else {
            // Unreadable progress cannot be cleared the way Settle.end does; kept as found, for an operator.
            w.append(EventType.FAILED, null, worker, message, now);
            w.row().recordError(errorType, message);
            w.row().lease(null, null);
            Settle.finish(parts, w, ExecutionStatus.FAILED, worker, now);
        }
        fenced(w, worker, now);
    }

    private boolean fenced(ExecutionWrite w, String worker, Instant now) {
        return parts.store().transaction(tx -> tx.commitStep(w, worker, now));
    }

    /**
     * The fence refused a step's result: says whether to run the step again (the lease is still
     * ours, only the row moved on, e.g. an answer to another wait of the same execution) and
     * records a result discarded by a cancellation.
     */
    private Result lost(StepRun run) {
        return parts.store().transaction(tx -> {
            FlowExecution now = tx.execution(run.executionId());
            Instant at = parts.clock().instant();
            if (now == null) {
                return Result.LOST;
            }
            if (now.status() == ExecutionStatus.CANCELLED) {
                ExecutionWrite discarded = new ExecutionWrite(now);
                discarded.append(EventType.RESULT_DISCARDED, run.step(), run.worker(),
                        "the execution was cancelled while the step ran", at);
                tx.commitIfUnchanged(discarded);
                return Result.LOST;
            }
            boolean stillOurs = run.worker().equals(now.leaseOwner()) && now.leaseExpiresAt() != null
                    && now.leaseExpiresAt().isAfter(at) && !now.status().isTerminal();
            return stillOurs ? Result.RERUN : Result.LOST;
        });
    }

    /**
     * @param executionId an execution
     * @return its current row, or null
     */
    FlowExecution snapshot(UUID executionId) {
        return parts.store().transaction(tx -> tx.execution(executionId));
    }

    static String summary(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
        return t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + truncate(message, 500));
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
