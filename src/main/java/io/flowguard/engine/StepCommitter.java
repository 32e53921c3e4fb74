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
import io.flowguard.store.FlowExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * Commits one step's result: one transaction holding the new state, the history events, the next
 * activations and the version bump.
 *
 * <p>Fencing: the execution row is locked ({@code SELECT ... FOR UPDATE}) and the commit goes
 * ahead only if this worker still holds an unexpired lease and the step is still at the head of
 * the queue. A worker that stalled past its lease (and was replaced), or whose execution was
 * cancelled meanwhile, commits nothing of its step; a cancelled execution records that the result
 * was discarded.
 */
@ApplicationScoped
public class StepCommitter {

    private static final Logger LOG = Logger.getLogger(StepCommitter.class.getName());

    @PersistenceContext(unitName = "flowguard")
    private EntityManager em;

    @Inject
    private EngineComponents components;

    /** What became of a commit. */
    public enum Result {
        /** Committed; more steps are queued under this lease. */
        CONTINUE,
        /** Committed; the execution parked, finished, or waits for a retry. */
        STOP,
        /** Not committed: the lease was lost or the execution changed underneath. */
        LOST
    }

    /**
     * A commit's result and, when more steps follow under the same lease, the row as committed:
     * the next step starts from it instead of reading the row again (one transaction less per
     * step). Anything that changed the row since (a cancellation) is caught by the next commit,
     * which re-reads the row under a lock, as for a change while a step runs.
     *
     * @param result    what the worker should do next
     * @param execution the committed row when {@code result} is CONTINUE, else null
     */
    public record Committed(Result result, FlowExecution execution) {
        static Committed of(Result result) {
            return new Committed(result, null);
        }
    }

    /**
     * Commits a step that ran (or threw).
     *
     * @param run     which step ran, for whom, and when
     * @param outcome what it produced, or null when it threw
     * @param failure what it threw, or null
     * @return what the worker should do next, with the committed row when it continues
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Committed commit(StepRun run, StepOutcome outcome, Throwable failure) {
        Instant now = Instant.now();
        FlowExecution e = em.find(FlowExecution.class, run.executionId(), LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            return Committed.of(Result.LOST);
        }
        if (!holdsLease(e, run.worker(), now)) {
            if (e.status() == ExecutionStatus.CANCELLED) {
                History.append(em, e, EventType.RESULT_DISCARDED, run.step(), run.worker(),
                        "the execution was cancelled while the step ran", now);
            }
            return Committed.of(Result.LOST);
        }
        StateCodec codec = components.codec();
        Progress progress = codec.readProgress(e.progress());
        if (!run.step().equals(progress.head())) {
            return Committed.of(Result.LOST);
        }
        if (e.status() == ExecutionStatus.PENDING) {
            History.move(em, e, ExecutionStatus.RUNNING, run.worker(), now);
        }
        History.append(em, e, EventType.STEP_STARTED, run.step(), run.worker(), "attempt " + run.attempt(),
                run.startedAt());
        if (failure != null) {
            return Committed.of(failed(e, run, progress, failure, now));
        }
        String stateJson;
        try {
            stateJson = codec.writeState(outcome.state());
        } catch (EngineException tooLarge) {
            History.append(em, e, EventType.FAILED, run.step(), run.worker(), tooLarge.getMessage(), now);
            Settle.end(em, components, e, ExecutionStatus.FAILED, "state_too_large",
                    "step " + run.step() + ": " + tooLarge.getMessage(), run.worker(), now);
            return Committed.of(Result.STOP);
        }
        e.replaceState(stateJson, now);
        History.append(em, e, EventType.STEP_COMPLETED, run.step(), run.worker(), null, now);
        Progress next = advance(e, run, progress.popHead(), outcome, now);
        return Settle.apply(em, components, e, next, run.worker(), now) == Settle.Next.CONTINUE
                ? new Committed(Result.CONTINUE, e) : Committed.of(Result.STOP);
    }

    private Progress advance(FlowExecution e, StepRun run, Progress progress, StepOutcome outcome, Instant now) {
        FlowDefinition flow = run.flow();
        return switch (outcome) {
            case StepOutcome.Done done -> progress.after(flow, run.step());
            case StepOutcome.Routed routed -> {
                History.append(em, e, EventType.ROUTED, run.step(), run.worker(), routed.label(), now);
                yield progress.after(flow, routed.label());
            }
            case StepOutcome.Asked asked -> {
                Duration wait = components.settings().agentWait(asked.ask().timeout());
                AgentRequest request = new AgentRequest(UUID.randomUUID(), e.id(), asked.ask().role(), run.step(),
                        truncate(asked.ask().question(), 2000), components.codec().write(asked.ask().payload()),
                        now.plus(wait), now);
                em.persist(request);
                History.append(em, e, EventType.ASKED, run.step(), run.worker(), "role " + asked.ask().role()
                        + ", request " + request.id() + ", deadline " + request.deadline(), now);
                yield progress.waitFor(run.step());
            }
        };
    }

    private Result failed(FlowExecution e, StepRun run, Progress progress, Throwable failure, Instant now) {
        RetryPolicy policy = run.flow().step(run.step()).orElseThrow().retry();
        String error = summary(failure);
        if (policy.allowsRetryAfter(run.attempt())) {
            Duration delay = policy.delayAfter(run.attempt());
            History.append(em, e, EventType.RETRY_SCHEDULED, run.step(), run.worker(),
                    "attempt " + run.attempt() + " failed: " + error + "; next attempt in " + delay, now);
            e.replaceProgress(components.codec().write(progress.nextAttempt()));
            e.scheduleAt(now.plus(delay));
            e.lease(null, null);
            return Result.STOP;
        }
        History.append(em, e, EventType.STEP_FAILED, run.step(), run.worker(), error, now);
        String reason = "step " + run.step() + " failed after " + run.attempt() + " attempt(s): " + error;
        Settle.end(em, components, e, ExecutionStatus.FAILED, "step_failed", reason, run.worker(), now);
        LOG.warning("execution of flow " + run.flow().name() + " failed: " + reason);
        return Result.STOP;
    }

    /**
     * Fails an execution that cannot run at all (its stored flow or step is not registered, or
     * its stored data is unreadable); the others run on. Either way its quota slot is given back.
     *
     * @param worker      the worker holding its lease
     * @param executionId the execution
     * @param errorType   {@code unknown_flow}, {@code unknown_step} or {@code corrupt_execution}
     * @param message     a safe description
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void failUnrunnable(String worker, UUID executionId, String errorType, String message) {
        Instant now = Instant.now();
        FlowExecution e = em.find(FlowExecution.class, executionId, LockModeType.PESSIMISTIC_WRITE);
        if (e == null || !holdsLease(e, worker, now)) {
            return;
        }
        if (Unrunnable.UNKNOWN_FLOW.equals(errorType) || Unrunnable.UNKNOWN_STEP.equals(errorType)) {
            Unrunnable.fail(em, components, e, errorType, worker, now);
            return;
        }
        // Unreadable progress cannot be cleared the way Settle.end does; kept as found, for an operator.
        History.append(em, e, EventType.FAILED, null, worker, message, now);
        e.recordError(errorType, message);
        e.lease(null, null);
        Settle.finish(em, components, e, ExecutionStatus.FAILED, worker, now);
    }

    /**
     * Lets go of an execution without running anything (fairness, or shutdown).
     *
     * @param worker      the worker holding its lease
     * @param executionId the execution
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void release(String worker, UUID executionId) {
        FlowExecution e = em.find(FlowExecution.class, executionId, LockModeType.PESSIMISTIC_WRITE);
        if (e != null && worker.equals(e.leaseOwner())) {
            e.lease(null, null);
        }
    }

    /**
     * @param executionId an execution
     * @return its current row, detached, or null
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public FlowExecution snapshot(UUID executionId) {
        return em.find(FlowExecution.class, executionId);
    }

    private static boolean holdsLease(FlowExecution e, String worker, Instant now) {
        return worker.equals(e.leaseOwner()) && e.leaseExpiresAt() != null && e.leaseExpiresAt().isAfter(now)
                && (e.status() == ExecutionStatus.PENDING || e.status() == ExecutionStatus.RUNNING);
    }

    static String summary(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
        return t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + truncate(message, 500));
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
