package io.flowguard.engine;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.store.AgentRequest;
import io.flowguard.store.EventType;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.ExecutionWrite;
import io.flowguard.store.FlowExecution;
import io.flowguard.store.StoreTransaction;
import io.flowguard.store.TransientConflict;

/**
 * Ends agent waits: by an answer, or by the deadline passing. The store decides which one wins
 * ({@link StoreTransaction#answerOnce}, {@link StoreTransaction#expireOnce}: a request leaves
 * {@code PENDING} once, an answer only before its deadline); the execution's change is then
 * written at the version it was decided on, and decided again from a fresh read when the row
 * moved on meanwhile (another wait of the same execution answered, a parallel step committed).
 */
final class AgentWaits {

    /** The largest answer accepted, in bytes of JSON. */
    static final int MAX_ANSWER_BYTES = 65_536;
    private static final int ATTEMPTS = 20;

    private final EngineParts parts;

    AgentWaits(EngineParts parts) {
        this.parts = parts;
    }

    /**
     * Records an answer and resumes the flow.
     *
     * @param requestId   the agent request
     * @param callerRoles the agent roles the caller holds
     * @param subject     the authenticated caller, recorded as the answerer
     * @param answerJson  the answer, a JSON object of at most 64 KB
     * @param lease       a local worker's lease to resume the execution under, or null to leave it
     *                    to the claimers
     * @return the execution as committed, and the answered request; or, when the execution's flow
     *         version or the asking step is no longer registered, the execution as failed
     * @throws EngineException NOT_FOUND, FORBIDDEN (wrong role), CONFLICT (answered, expired, cancelled), INVALID_INPUT
     */
    Answered answer(UUID requestId, Set<String> callerRoles, String subject, String answerJson, LocalLease lease) {
        if (answerJson.getBytes(StandardCharsets.UTF_8).length > MAX_ANSWER_BYTES) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, "an answer is at most 64 KB");
        }
        String normalized = parts.codec().write(parts.codec().readObject(answerJson));
        return retrying(() -> parts.store().transaction(tx -> {
            Instant now = parts.clock().instant();
            AgentRequest request = tx.request(requestId);
            if (request == null) {
                throw new EngineException(EngineException.Problem.NOT_FOUND, "no such agent request");
            }
            if (!callerRoles.contains(request.role())) {
                throw new EngineException(EngineException.Problem.FORBIDDEN, "this request is addressed to another role");
            }
            FlowExecution e = tx.execution(request.executionId());
            FlowDefinition flow = parts.registry().find(e.flow(), e.flowVersion()).orElse(null);
            String unrunnable = Unrunnable.check(flow, request.step());
            if (unrunnable != null) {
                renamedSince(tx, request);
                return failUnrunnable(tx, request, e, unrunnable, subject, now);
            }
            Class<?> answerType = flow.step(request.step()).<Class<?>>map(s -> s.answerType()).orElse(Object.class);
            if (answerType != Object.class) {
                parts.codec().readInput(answerJson, answerType);
            }
            if (!tx.answerOnce(requestId, normalized, subject, now)) {
                throw new EngineException(EngineException.Problem.CONFLICT, request.status() != AgentRequest.Status.PENDING
                        ? "this request is already " + request.status()
                        : !request.deadline().isAfter(now) ? "the deadline of this request has passed"
                        : "this request was answered, expired or cancelled meanwhile");
            }
            request.answer(normalized, subject, now); // the copy the resumed step reads its answer from
            ExecutionWrite w = new ExecutionWrite(e);
            w.append(EventType.ANSWERED, request.step(), subject, "role " + request.role(), now);
            Progress progress = parts.codec().readProgress(e.progress()).stopWaiting(request.step());
            if (Settle.apply(parts, w, progress.after(flow, request.step()), subject, now) == Settle.Next.CONTINUE
                    && lease != null && leaseFree(e, now)) {
                e.lease(lease.owner(), lease.expiresAt());
            }
            writeOrRetry(tx, w);
            return new Answered(e, request, null);
        }));
    }

    /**
     * The answer cannot resume the execution (the flow was upgraded under it): it fails now, the
     * answer not recorded, and the caller is told so after this transaction has committed that.
     * Only a request still open can do this, like an answer.
     */
    private Answered failUnrunnable(StoreTransaction tx, AgentRequest request, FlowExecution e, String unrunnable,
                                    String subject, Instant now) {
        if (request.status() != AgentRequest.Status.PENDING || !request.deadline().isAfter(now)
                || e.status().isTerminal()) {
            throw new EngineException(EngineException.Problem.CONFLICT, "this request is already "
                    + (request.status() == AgentRequest.Status.PENDING ? "past its deadline" : request.status()));
        }
        ExecutionWrite w = new ExecutionWrite(e);
        Unrunnable.fail(parts, w, unrunnable, subject, now);
        writeOrRetry(tx, w);
        return new Answered(e, request, unrunnable);
    }

    /**
     * The request was read before its execution: a migration that committed in between moved the
     * execution to another version and renamed the request's step, so the pair as read names a step
     * the execution's version lacks. Decide again from a fresh read rather than fail the execution.
     */
    private static void renamedSince(StoreTransaction tx, AgentRequest request) {
        if (!request.step().equals(tx.stepOf(request.id()))) {
            throw new MovedOn();
        }
    }

    private static boolean leaseFree(FlowExecution e, Instant now) {
        return e.leaseOwner() == null || e.leaseExpiresAt() == null || !e.leaseExpiresAt().isAfter(now);
    }

    /**
     * @param execution the execution's row as the answer committed it
     * @param request   the answered request
     * @param failedAs  null when answered; else the error type the execution failed with instead
     *                  ({@code unknown_flow}, {@code unknown_step}), the answer not recorded
     */
    record Answered(FlowExecution execution, AgentRequest request, String failedAs) {
    }

    /**
     * @param now   the current time
     * @param limit the most to return
     * @return pending requests whose deadline has passed, oldest first
     */
    List<UUID> due(Instant now, int limit) {
        return parts.store().transaction(tx -> tx.dueRequests(now, limit));
    }

    /**
     * Fires an expired wait: the flow's {@code step.timeout} listeners run if it declares them;
     * otherwise the execution ends TIMED_OUT with the reason, or FAILED when its flow version or
     * the waiting step is no longer registered. Does nothing if the wait ended first.
     *
     * @param requestId an expired request
     * @param actor     who fires it (a worker id)
     * @return true when this call expired it
     */
    boolean expire(UUID requestId, String actor) {
        return retrying(() -> parts.store().transaction(tx -> {
            Instant now = parts.clock().instant();
            AgentRequest request = tx.request(requestId);
            if (request == null || !tx.expireOnce(requestId, now)) {
                return false;
            }
            FlowExecution e = tx.execution(request.executionId());
            ExecutionWrite w = new ExecutionWrite(e);
            w.append(EventType.TIMED_OUT, request.step(), actor,
                    "role " + request.role() + " did not answer by " + request.deadline(), now);
            if (!e.status().isTerminal()) {
                FlowDefinition flow = parts.registry().find(e.flow(), e.flowVersion()).orElse(null);
                String unrunnable = Unrunnable.check(flow, request.step());
                if (unrunnable != null) {
                    renamedSince(tx, request);
                    Unrunnable.fail(parts, w, unrunnable, actor, now);
                } else if (flow.hasTimeoutPath(request.step())) {
                    Progress progress = parts.codec().readProgress(e.progress()).stopWaiting(request.step());
                    Settle.apply(parts, w, progress.after(flow, request.step() + FlowDefinition.TIMEOUT_SUFFIX),
                            actor, now);
                } else {
                    Settle.end(parts, w, ExecutionStatus.TIMED_OUT, "agent_timeout", "agent role " + request.role()
                            + " did not answer step " + request.step() + " by " + request.deadline(), actor, now);
                }
            }
            writeOrRetry(tx, w);
            return true;
        }));
    }

    /**
     * @param roles       the caller's agent roles
     * @param executionId only this execution's requests, or null for all
     * @param limit       the most to return
     * @return pending requests addressed to those roles, by deadline
     */
    List<AgentRequest> inbox(Set<String> roles, UUID executionId, int limit) {
        if (roles.isEmpty()) {
            return List.of();
        }
        return parts.store().transaction(tx -> tx.inbox(roles, executionId, limit));
    }

    private static void writeOrRetry(StoreTransaction tx, ExecutionWrite w) {
        if (!tx.commitIfUnchanged(w)) {
            throw new MovedOn();
        }
    }

    /** Runs a transaction again when the execution moved on under it, or it met a transient conflict. */
    static <T> T retrying(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (MovedOn | EngineException e) {
                if (e instanceof EngineException || attempt >= ATTEMPTS) {
                    throw e instanceof MovedOn ? busy() : e;
                }
            } catch (RuntimeException e) {
                if (!TransientConflict.isCause(e) || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static EngineException busy() {
        return new EngineException(EngineException.Problem.CONFLICT, "the execution is changing too fast; try again");
    }

    /** The row moved on since it was read: the transaction rolls back and runs again. */
    static final class MovedOn extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MovedOn() {
            super("the execution moved on", null, false, false);
        }
    }
}
