package io.flowguard.engine;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.store.AgentRequest;
import io.flowguard.store.EventType;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.FlowExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

/**
 * Ends agent waits: by an answer, or by the deadline passing. Both lock the execution row first
 * (the same order as step commits, so no deadlock), which makes them exactly-once: of concurrent
 * answers, or an answer racing the deadline, one wins and the others see a conflict.
 */
@ApplicationScoped
public class AgentWaits {

    /** The largest answer accepted, in bytes of JSON. */
    public static final int MAX_ANSWER_BYTES = 65_536;

    @PersistenceContext(unitName = "flowguard")
    private EntityManager em;

    @Inject
    private EngineComponents components;

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
    @Transactional
    public Answered answer(UUID requestId, Set<String> callerRoles, String subject, String answerJson,
                           LocalLease lease) {
        Instant now = Instant.now();
        AgentRequest unlocked = em.find(AgentRequest.class, requestId);
        if (unlocked == null) {
            throw new EngineException(EngineException.Problem.NOT_FOUND, "no such agent request");
        }
        if (!callerRoles.contains(unlocked.role())) {
            throw new EngineException(EngineException.Problem.FORBIDDEN, "this request is addressed to another role");
        }
        if (answerJson.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_ANSWER_BYTES) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, "an answer is at most 64 KB");
        }
        String normalized = components.codec().write(components.codec().readObject(answerJson));
        FlowExecution e = em.find(FlowExecution.class, unlocked.executionId(), LockModeType.PESSIMISTIC_WRITE);
        FlowDefinition flow = components.registry().find(e.flow(), e.flowVersion()).orElse(null);
        Class<?> answerType = flow == null ? Object.class
                : flow.step(unlocked.step()).<Class<?>>map(s -> s.answerType()).orElse(Object.class);
        if (answerType != Object.class) {
            components.codec().readInput(answerJson, answerType);
        }
        AgentRequest request = em.find(AgentRequest.class, requestId);
        em.refresh(request);
        if (request.status() != AgentRequest.Status.PENDING) {
            throw new EngineException(EngineException.Problem.CONFLICT, "this request is already " + request.status());
        }
        if (!request.deadline().isAfter(now)) {
            throw new EngineException(EngineException.Problem.CONFLICT, "the deadline of this request has passed");
        }
        String unrunnable = Unrunnable.check(flow, request.step());
        if (unrunnable != null) {
            // The answer cannot resume it (the flow was upgraded under it): it fails now, and the
            // caller is told so after this transaction has committed that.
            Unrunnable.fail(em, components, e, unrunnable, subject, now);
            return new Answered(e, request, unrunnable);
        }
        request.answer(normalized, subject, now);
        History.append(em, e, EventType.ANSWERED, request.step(), subject, "role " + request.role(), now);
        Progress progress = components.codec().readProgress(e.progress()).stopWaiting(request.step());
        if (Settle.apply(em, components, e, progress.after(flow, request.step()), subject, now) == Settle.Next.CONTINUE
                && lease != null) {
            e.lease(lease.owner(), lease.expiresAt());
        }
        return new Answered(e, request, null);
    }

    /**
     * @param execution the execution's row as the answer committed it
     * @param request   the answered request
     * @param failedAs  null when answered; else the error type the execution failed with instead
     *                  ({@code unknown_flow}, {@code unknown_step}), the answer not recorded
     */
    public record Answered(FlowExecution execution, AgentRequest request, String failedAs) {
    }

    /**
     * @param now   the current time
     * @param limit the most to return
     * @return pending requests whose deadline has passed, oldest first
     */
    @Transactional
    public List<UUID> due(Instant now, int limit) {
        return em.createQuery("SELECT r.id FROM AgentRequest r WHERE r.status = :pending AND r.deadline <= :now "
                        + "ORDER BY r.deadline", UUID.class)
                .setParameter("pending", AgentRequest.Status.PENDING).setParameter("now", now)
                .setMaxResults(limit).getResultList();
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
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean expire(UUID requestId, String actor) {
        Instant now = Instant.now();
        AgentRequest unlocked = em.find(AgentRequest.class, requestId);
        if (unlocked == null) {
            return false;
        }
        FlowExecution e = em.find(FlowExecution.class, unlocked.executionId(), LockModeType.PESSIMISTIC_WRITE);
        AgentRequest request = em.find(AgentRequest.class, requestId);
        em.refresh(request);
        if (request.status() != AgentRequest.Status.PENDING || request.deadline().isAfter(now)) {
            return false;
        }
        request.expire();
        History.append(em, e, EventType.TIMED_OUT, request.step(), actor,
                "role " + request.role() + " did not answer by " + request.deadline(), now);
        if (e.status().isTerminal()) {
            return true;
        }
        FlowDefinition flow = components.registry().find(e.flow(), e.flowVersion()).orElse(null);
        String unrunnable = Unrunnable.check(flow, request.step());
        if (unrunnable != null) {
            Unrunnable.fail(em, components, e, unrunnable, actor, now);
            return true;
        }
        if (flow.hasTimeoutPath(request.step())) {
            Progress progress = components.codec().readProgress(e.progress()).stopWaiting(request.step());
            Settle.apply(em, components, e, progress.after(flow, request.step() + FlowDefinition.TIMEOUT_SUFFIX),
                    actor, now);
            return true;
        }
        Settle.end(em, components, e, ExecutionStatus.TIMED_OUT, "agent_timeout",
                "agent role " + request.role() + " did not answer step " + request.step() + " by " + request.deadline(),
                actor, now);
        return true;
    }

    /**
     * @param roles       the caller's agent roles
     * @param executionId only this execution's requests, or null for all
     * @param limit       the most to return
     * @return pending requests addressed to those roles, by deadline
     */
    @Transactional
    public List<AgentRequest> inbox(Set<String> roles, UUID executionId, int limit) {
        if (roles.isEmpty()) {
            return List.of();
        }
        TypedQuery<AgentRequest> query = em.createQuery("SELECT r FROM AgentRequest r WHERE r.role IN :roles "
                        + "AND r.status = :pending" + (executionId == null ? "" : " AND r.executionId = :execution")
                        + " ORDER BY r.deadline", AgentRequest.class)
                .setParameter("roles", roles).setParameter("pending", AgentRequest.Status.PENDING);
        if (executionId != null) {
            query.setParameter("execution", executionId);
        }
        return query.setMaxResults(limit).getResultList();
    }

    /**
     * @param executionId an execution
     * @param steps       asking steps a listener listens to
     * @return the newest answered request among them, or null
     */
    @Transactional
    public AgentRequest answered(UUID executionId, Set<String> steps) {
        List<AgentRequest> found = em.createQuery("SELECT r FROM AgentRequest r WHERE r.executionId = :id "
                        + "AND r.step IN :steps AND r.status = :answered ORDER BY r.answeredAt DESC", AgentRequest.class)
                .setParameter("id", executionId).setParameter("steps", steps)
                .setParameter("answered", AgentRequest.Status.ANSWERED).setMaxResults(1).getResultList();
        return found.isEmpty() ? null : found.get(0);
    }
}
