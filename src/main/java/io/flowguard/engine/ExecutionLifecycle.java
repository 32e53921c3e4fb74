package io.flowguard.engine;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.store.EventType;
import io.flowguard.store.ExecutionEvent;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.FlowExecution;
import io.flowguard.store.IdempotencyKey;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Starting, cancelling and reading executions: the transactions the API's calls map to.
 */
@ApplicationScoped
public class ExecutionLifecycle {

    @PersistenceContext(unitName = "flowguard")
    private EntityManager em;

    @Inject
    private EngineComponents components;

    @Inject
    @ConfigProperty(name = "flowguard.quota.max-active-executions", defaultValue = "100")
    private int maxActivePerOwner;

    @PostConstruct
    void checkQuota() {
        if (maxActivePerOwner < 1) {
            throw new IllegalStateException("flowguard.quota.max-active-executions must be at least 1");
        }
    }

    /**
     * Creates a PENDING execution due now, with its start steps queued, taking one of the owner's
     * quota slots in the same transaction.
     *
     * @param flow      the registered flow
     * @param stateJson the validated initial state
     * @param owner     the subject starting it
     * @param lease     a local worker's lease to start it under, or null to leave it to the claimers
     * @return the new execution
     * @throws EngineException       QUOTA_EXCEEDED when the owner is at the cap
     * @throws OwnerQuota.RowMissing on the owner's first start: {@link #createQuota} then retry
     */
    @Transactional
    public FlowExecution start(FlowDefinition flow, String stateJson, String owner, LocalLease lease) {
        Instant now = Instant.now();
        OwnerQuota.take(em, owner, maxActivePerOwner, now);
        FlowExecution e = new FlowExecution(UUID.randomUUID(), flow.name(), flow.version(), owner, stateJson,
                components.codec().write(Progress.starting(flow.startSteps())), now);
        if (lease != null) {
            e.lease(lease.owner(), lease.expiresAt());
        }
        em.persist(e);
        History.append(em, e, EventType.CREATED, null, owner, flow.name() + " v" + flow.version(), now);
        return e;
    }

    /**
     * Creates the owner's quota counter, in its own transaction (which fails harmlessly when a
     * concurrent first start created it).
     *
     * @param owner the subject
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void createQuota(String owner) {
        OwnerQuota.create(em, owner, Instant.now());
    }

    /**
     * Starts an execution under an idempotency key, or finds the one the key already started.
     * The key row is inserted in the same transaction as the execution; when a concurrent start
     * inserted it first, the primary key refuses this one and the caller looks up the winner.
     *
     * @param flow        the registered flow
     * @param stateJson   the validated initial state
     * @param owner       the caller (keys are scoped to it)
     * @param key         the caller's idempotency key
     * @param requestHash hash of the request body
     * @param ttl         how long the key is remembered
     * @param lease       as for {@link #start}
     * @return the execution, and whether it was created earlier (replayed)
     * @throws EngineException IDEMPOTENCY_MISMATCH when the key was used for another request
     */
    @Transactional
    public Started startOnce(FlowDefinition flow, String stateJson, String owner, String key, String requestHash,
                             java.time.Duration ttl, LocalLease lease) {
        Instant now = Instant.now();
        Started earlier = replay(owner, key, requestHash, now);
        if (earlier != null) {
            return earlier;
        }
        FlowExecution e = start(flow, stateJson, owner, lease);
        em.flush();
        em.persist(new IdempotencyKey(owner, key, requestHash, e.id(), now, now.plus(ttl)));
        em.flush();
        return new Started(e, false);
    }

    /**
     * @param owner       the caller
     * @param key         its key
     * @param requestHash hash of this request
     * @param now         the current time
     * @return the execution the key started earlier, or null when the key is unused (or expired and now removed)
     */
    @Transactional
    public Started replay(String owner, String key, String requestHash, Instant now) {
        IdempotencyKey existing = em.find(IdempotencyKey.class, new IdempotencyKey.Id(owner, key));
        if (existing == null) {
            return null;
        }
        if (!existing.expiresAt().isAfter(now)) {
            em.remove(existing);
            em.flush();
            return null;
        }
        if (!existing.requestHash().equals(requestHash)) {
            throw new EngineException(EngineException.Problem.IDEMPOTENCY_MISMATCH,
                    "this idempotency key was already used for a different request");
        }
        FlowExecution e = em.find(FlowExecution.class, existing.executionId());
        return e == null ? null : new Started(e, true);
    }

    /**
     * An execution a start returned.
     *
     * @param execution the execution
     * @param replayed  true when an earlier request with the same key created it
     */
    public record Started(FlowExecution execution, boolean replayed) {
    }

    /**
     * Cancels an execution: pending waits end, queued steps are dropped, and a step running now
     * has its result discarded when it tries to commit.
     *
     * @param id              the execution
     * @param actor           who cancels
     * @param expectedVersion the version the caller last saw, or null to skip the check
     * @param reason          why, recorded in the history, or null
     * @return the cancelled execution
     * @throws EngineException NOT_FOUND, STALE_VERSION, or CONFLICT when already finished
     */
    @Transactional
    public FlowExecution cancel(UUID id, String actor, Long expectedVersion, String reason) {
        FlowExecution e = em.find(FlowExecution.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            throw new EngineException(EngineException.Problem.NOT_FOUND, "no such execution");
        }
        if (expectedVersion != null && expectedVersion != e.version()) {
            throw new EngineException(EngineException.Problem.STALE_VERSION,
                    "the execution changed since version " + expectedVersion);
        }
        if (e.status().isTerminal()) {
            throw new EngineException(EngineException.Problem.CONFLICT, "the execution is already " + e.status());
        }
        Instant now = Instant.now();
        History.append(em, e, EventType.CANCELLED, null, actor,
                "cancelled in " + e.status() + (reason == null || reason.isBlank() ? "" : ": " + reason), now);
        Settle.end(em, components, e, ExecutionStatus.CANCELLED, null, null, actor, now);
        return e;
    }

    /**
     * @return executions not finished, pending agent requests, and executions due and unleased
     *         (for the gauges)
     */
    @Transactional
    public long[] gaugeCounts() {
        Instant now = Instant.now();
        long active = em.createQuery("SELECT COUNT(e) FROM FlowExecution e WHERE e.status IN :open", Long.class)
                .setParameter("open", List.of(ExecutionStatus.PENDING, ExecutionStatus.RUNNING,
                        ExecutionStatus.WAITING_AGENT)).getSingleResult();
        long pending = em.createQuery("SELECT COUNT(r) FROM AgentRequest r WHERE r.status = :pending", Long.class)
                .setParameter("pending", io.flowguard.store.AgentRequest.Status.PENDING).getSingleResult();
        long runnable = em.createQuery("SELECT COUNT(e) FROM FlowExecution e WHERE e.status IN :runnable "
                        + "AND e.nextRunAt <= :now AND (e.leaseExpiresAt IS NULL OR e.leaseExpiresAt < :now)", Long.class)
                .setParameter("runnable", List.of(ExecutionStatus.PENDING, ExecutionStatus.RUNNING))
                .setParameter("now", now).getSingleResult();
        return new long[] {active, pending, runnable};
    }

    /**
     * @param id an execution
     * @return it, detached
     */
    @Transactional
    public FlowExecution find(UUID id) {
        return em.find(FlowExecution.class, id);
    }

    /**
     * @param owner  only this owner's executions, or null for all
     * @param status only this status, or null for all
     * @param limit  page size
     * @param offset rows to skip
     * @return newest first
     */
    @Transactional
    public List<FlowExecution> list(String owner, ExecutionStatus status, int limit, int offset) {
        StringBuilder jpql = new StringBuilder("SELECT e FROM FlowExecution e WHERE 1 = 1");
        if (owner != null) {
            jpql.append(" AND e.owner = :owner");
        }
        if (status != null) {
            jpql.append(" AND e.status = :status");
        }
        jpql.append(" ORDER BY e.createdAt DESC, e.id");
        TypedQuery<FlowExecution> q = em.createQuery(jpql.toString(), FlowExecution.class);
        if (owner != null) {
            q.setParameter("owner", owner);
        }
        if (status != null) {
            q.setParameter("status", status);
        }
        return q.setFirstResult(offset).setMaxResults(limit).getResultList();
    }

    /**
     * @param id       an execution
     * @param afterSeq return events after this sequence number (0 for all)
     * @param limit    the most to return
     * @return its history, oldest first
     */
    @Transactional
    public List<ExecutionEvent> history(UUID id, int afterSeq, int limit) {
        return em.createQuery("SELECT v FROM ExecutionEvent v WHERE v.executionId = :id AND v.seq > :after "
                        + "ORDER BY v.seq", ExecutionEvent.class)
                .setParameter("id", id).setParameter("after", afterSeq).setMaxResults(limit).getResultList();
    }
}
