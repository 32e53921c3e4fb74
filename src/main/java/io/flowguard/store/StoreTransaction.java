package io.flowguard.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

/**
 * One transaction of the store: the reads the engine decides on and the writes that carry its
 * decisions, each write guarded in its own {@code UPDATE ... WHERE}. Every statement that decides
 * whether a change may happen is here, readable in one sitting:
 * <ul>
 * <li>the step fence, {@link #commitStep}: the row is written only while the committing worker
 *     holds an unexpired lease on it and the row is still at the version the step ran on;</li>
 * <li>other changes to an execution (answer, deadline, cancel), {@link #commitIfUnchanged}: only
 *     at the version the change was decided on;</li>
 * <li>answer-once and deadline-once, {@link #answerOnce} and {@link #expireOnce}: a request moves
 *     out of {@code PENDING} once, an answer only before its deadline;</li>
 * <li>the quota, {@link #takeQuota}: a slot only below the cap; given back with the move to a
 *     terminal status ({@link ExecutionWrite#giveBackQuota()});</li>
 * <li>idempotency keys, scoped to their owner ({@link #idempotencyKey}, {@link #insertKey}).</li>
 * <li>a migration to another version, {@link #commitMigration}: only at the version it was decided
 *     on and while no worker holds a live lease on the execution.</li>
 * </ul>
 * The claim, heartbeat and release are in {@link LeaseStore}; retention in {@link RetentionStore}.
 *
 * <p>Entities read here are read-only copies (no dirty checking, no snapshot kept): a change is
 * made on the copy and written through an {@link ExecutionWrite}, never by flushing an entity.
 * Rows are written in one order everywhere (execution first, then its agent requests), so
 * concurrent transactions cannot deadlock.
 */
public final class StoreTransaction {

    private static final List<ExecutionStatus> OPEN = List.of(ExecutionStatus.PENDING, ExecutionStatus.RUNNING,
            ExecutionStatus.WAITING_AGENT);

    /**
     * Pending, as a literal in the SQL: the PostgreSQL indexes of pending requests are partial
     * ({@code WHERE status = 'PENDING'}, V6), and a plan made for a bound parameter (a generic plan
     * of a prepared statement) could not use them.
     */
    private static final String PENDING = "io.flowguard.store.AgentRequest$Status.PENDING";

    private final EntityManager em;
    private final CommitListener listener;
    private final List<Runnable> afterCommit = new ArrayList<>();

    StoreTransaction(EntityManager em, CommitListener listener) {
        this.em = em;
        this.listener = listener;
    }

    // ---- reads ---------------------------------------------------------------------------------

    /**
     * @param id an execution
     * @return its row as committed, a read-only copy, or null
     */
    public FlowExecution execution(UUID id) {
        return em.find(FlowExecution.class, id);
    }

    /**
     * @param id an agent request
     * @return it, or null
     */
    public AgentRequest request(UUID id) {
        return em.find(AgentRequest.class, id);
    }

    /**
     * @param owner only this owner's executions, or null for all
     * @param status only this status, or null for all
     * @param flow only this flow name, or null for all
     * @param version only this flow version, or null for all
     * @param limit page size
     * @param offset rows to skip
     * @return newest first
     */
    public List<FlowExecution> executions(String owner, ExecutionStatus status, String flow, Integer version,
                                          int limit, int offset) {
        StringBuilder jpql = new StringBuilder("SELECT e FROM FlowExecution e WHERE 1 = 1");
        if (owner != null) {
            jpql.append(" AND e.owner = :owner");
        }
        if (status != null) {
            jpql.append(" AND e.status = :status");
        }
        if (flow != null) {
            jpql.append(" AND e.flow = :flow");
        }
        if (version != null) {
            jpql.append(" AND e.flowVersion = :version");
        }
        jpql.append(" ORDER BY e.createdAt DESC, e.id");
        TypedQuery<FlowExecution> q = em.createQuery(jpql.toString(), FlowExecution.class);
        if (owner != null) {
            q.setParameter("owner", owner);
        }
        if (status != null) {
            q.setParameter("status", status);
        }
        if (flow != null) {
            q.setParameter("flow", flow);
        }
        if (version != null) {
            q.setParameter("version", version);
        }
        return q.setFirstResult(offset).setMaxResults(limit).getResultList();
    }

    /**
     * @param id       an execution
     * @param afterSeq events after this sequence number (0 for all)
     * @param limit    the most to return
     * @return its history, oldest first
     */
    public List<ExecutionEvent> history(UUID id, int afterSeq, int limit) {
        return em.createQuery("SELECT v FROM ExecutionEvent v WHERE v.executionId = :id AND v.seq > :after "
                        + "ORDER BY v.seq", ExecutionEvent.class)
                .setParameter("id", id).setParameter("after", afterSeq).setMaxResults(limit).getResultList();
    }

    /**
     * @param roles       agent roles (not empty)
     * @param executionId only this execution's requests, or null for all
     * @param limit       the most to return
     * @return pending requests addressed to those roles, by deadline
     */
    public List<AgentRequest> inbox(Collection<String> roles, UUID executionId, int limit) {
        TypedQuery<AgentRequest> query = em.createQuery("SELECT r FROM AgentRequest r WHERE r.role IN :roles "
                        + "AND r.status = " + PENDING + (executionId == null ? "" : " AND r.executionId = :execution")
                        + " ORDER BY r.deadline", AgentRequest.class)
                .setParameter("roles", roles);
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
    public AgentRequest lastAnswered(UUID executionId, Set<String> steps) {
        List<AgentRequest> found = em.createQuery("SELECT r FROM AgentRequest r WHERE r.executionId = :id "
                        + "AND r.step IN :steps AND r.status = :answered ORDER BY r.answeredAt DESC", AgentRequest.class)
                .setParameter("id", executionId).setParameter("steps", steps)
                .setParameter("answered", AgentRequest.Status.ANSWERED).setMaxResults(1).getResultList();
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * The deadline sweep's query.
     *
     * @param now   the current time
     * @param limit the most to return
     * @return pending requests whose deadline has passed, oldest first
     */
    public List<UUID> dueRequests(Instant now, int limit) {
        return em.createQuery("SELECT r.id FROM AgentRequest r WHERE r.status = " + PENDING
                        + " AND r.deadline <= :now ORDER BY r.deadline", UUID.class)
                .setParameter("now", now)
                .setMaxResults(limit).getResultList();
    }

    /**
     * @param now the current time
     * @return executions not finished, pending agent requests, and executions due and unleased
     */
    public long[] gaugeCounts(Instant now) {
        long active = em.createQuery("SELECT COUNT(e) FROM FlowExecution e WHERE e.status IN :open", Long.class)
                .setParameter("open", OPEN).getSingleResult();
        long pending = em.createQuery("SELECT COUNT(r) FROM AgentRequest r WHERE r.status = " + PENDING,
                Long.class).getSingleResult();
        long runnable = em.createQuery("SELECT COUNT(e) FROM FlowExecution e WHERE e.status IN :runnable "
                        + "AND e.nextRunAt <= :now AND (e.leaseExpiresAt IS NULL OR e.leaseExpiresAt < :now)", Long.class)
                .setParameter("runnable", List.of(ExecutionStatus.PENDING, ExecutionStatus.RUNNING))
                .setParameter("now", now).getSingleResult();
        return new long[] {active, pending, runnable};
    }

    /**
     * @param owner the key's owner (keys are scoped to it)
     * @param key   the caller's key
     * @return the key as stored, or null
     */
    public IdempotencyKey idempotencyKey(String owner, String key) {
        return em.find(IdempotencyKey.class, new IdempotencyKey.Id(owner, key));
    }

    // ---- guarded writes ------------------------------------------------------------------------

    /**
     * The step fence: writes a step's result only while {@code worker} holds an unexpired lease on
     * the execution and the row is still at the version the step ran on. A worker whose lease was
     * taken over (another owner), that stalled past its lease (expired, even when nobody took it),
     * or whose execution changed meanwhile (cancelled, answered) writes nothing.
     *
     * @param write  the step's result
     * @param worker the worker committing it
     * @param now    the current time
     * @return false when the fence refused it: then nothing at all was written
     */
    public boolean commitStep(ExecutionWrite write, String worker, Instant now) {
        return update(write, " AND e.leaseOwner = :worker AND e.leaseExpiresAt > :now", worker, now);
    }

    /**
     * Writes a change decided on the row as read (an answer, a deadline, a cancellation), only if
     * nobody changed the row since.
     *
     * @param write the change
     * @return false when the row moved on: then nothing at all was written (read again and decide again)
     */
    public boolean commitIfUnchanged(ExecutionWrite write) {
        return update(write, "", null, null);
    }

    /**
     * Inserts a new execution with its first events (and its first requests, if any).
     *
     * @param write the new execution
     */
    public void insert(ExecutionWrite write) {
        em.persist(write.row());
        em.flush();
        writeRest(write);
    }

    private static final String SET = "UPDATE FlowExecution e SET e.status = :status, e.progress = :progress, "
            + "e.lastEventSeq = :seq, e.leaseOwner = :leaseOwner, e.leaseExpiresAt = :leaseExpiresAt, "
            + "e.nextRunAt = :nextRunAt, e.errorType = :errorType, e.error = :error, e.updatedAt = :updatedAt, "
            + "e.finishedAt = :finishedAt, e.version = e.version + 1";

    private boolean update(ExecutionWrite write, String fence, String worker, Instant now) {
        FlowExecution row = write.row();
        boolean withState = write.stateChanged();
        var update = em.createQuery(SET + (withState ? ", e.state = :state" : "")
                        + " WHERE e.id = :id AND e.version = :expected" + fence)
                .setParameter("status", row.status()).setParameter("progress", row.progress())
                .setParameter("seq", row.lastEventSeq()).setParameter("leaseOwner", row.leaseOwner())
                .setParameter("leaseExpiresAt", row.leaseExpiresAt()).setParameter("nextRunAt", row.nextRunAt())
                .setParameter("errorType", row.errorType()).setParameter("error", row.error())
                .setParameter("updatedAt", row.updatedAt()).setParameter("finishedAt", row.finishedAt())
                .setParameter("id", row.id()).setParameter("expected", write.expectedVersion());
        if (withState) {
            update.setParameter("state", row.state());
        }
        if (worker != null) {
            update.setParameter("worker", worker).setParameter("now", now);
        }
        if (update.executeUpdate() != 1) {
            return false;
        }
        row.writtenAs(write.expectedVersion() + 1);
        writeRest(write);
        return true;
    }

    /** What follows the row: its events, new requests, closed requests and the quota slot. */
    private void writeRest(ExecutionWrite write) {
        FlowExecution row = write.row();
        if (write.closesOpenRequests()) {
            em.createQuery("UPDATE AgentRequest r SET r.status = :cancelled, r.version = r.version + 1 "
                            + "WHERE r.executionId = :id AND r.status = :pending")
                    .setParameter("cancelled", AgentRequest.Status.CANCELLED)
                    .setParameter("pending", AgentRequest.Status.PENDING).setParameter("id", row.id()).executeUpdate();
        }
        for (ExecutionEvent event : write.events()) {
            em.persist(event);
        }
        for (AgentRequest request : write.asked()) {
            em.persist(request);
            afterCommit.add(() -> listener.asked(row.id(), request.role()));
        }
        if (write.givesBackQuota()) {
            em.createNativeQuery(QUOTA_GIVE_BACK).setParameter(1, row.updatedAt()).setParameter(2, row.owner())
                    .executeUpdate();
        }
        if (!write.events().isEmpty()) {
            afterCommit.add(() -> listener.historyGrew(row.id()));
        }
        afterCommit.addAll(write.afterCommitActions());
    }

    /**
     * Answer-once: records an answer only while the request is pending and before its deadline.
     *
     * @param requestId the request
     * @param answer    the normalized answer JSON
     * @param subject   who answered
     * @param now       the current time
     * @return false when it was not pending or its deadline has passed: nothing was written
     */
    public boolean answerOnce(UUID requestId, String answer, String subject, Instant now) {
        return em.createQuery("UPDATE AgentRequest r SET r.status = :answered, r.answer = :answer, "
                        + "r.answeredBy = :subject, r.answeredAt = :now, r.version = r.version + 1 "
                        + "WHERE r.id = :id AND r.status = :pending AND r.deadline > :now")
                .setParameter("answered", AgentRequest.Status.ANSWERED).setParameter("answer", answer)
                .setParameter("subject", subject).setParameter("now", now).setParameter("id", requestId)
                .setParameter("pending", AgentRequest.Status.PENDING).executeUpdate() == 1;
    }

    /**
     * Deadline-once: expires a request only while it is pending and its deadline has passed.
     *
     * @param requestId the request
     * @param now       the current time
     * @return false when it was answered or expired first, or is not due: nothing was written
     */
    public boolean expireOnce(UUID requestId, Instant now) {
        return em.createQuery("UPDATE AgentRequest r SET r.status = :expired, r.version = r.version + 1 "
                        + "WHERE r.id = :id AND r.status = :pending AND r.deadline <= :now")
                .setParameter("expired", AgentRequest.Status.TIMED_OUT).setParameter("id", requestId)
                .setParameter("pending", AgentRequest.Status.PENDING).setParameter("now", now).executeUpdate() == 1;
    }

    // ---- migrations to another version of a flow ----------------------------------------------

    /**
     * The executions a migration may move, a batch at a time in id order.
     *
     * @param flow    a flow name
     * @param version the version they are on
     * @param after   only ids after this one (the previous batch's last), or null from the first
     * @param limit   the most to return
     * @return ids of unfinished executions of that flow version
     */
    public List<UUID> unfinishedIds(String flow, int version, UUID after, int limit) {
        TypedQuery<UUID> q = em.createQuery("SELECT e.id FROM FlowExecution e WHERE e.flow = :flow "
                        + "AND e.flowVersion = :version AND e.status IN :open"
                        + (after == null ? "" : " AND e.id > :after") + " ORDER BY e.id", UUID.class)
                .setParameter("flow", flow).setParameter("version", version).setParameter("open", OPEN);
        if (after != null) {
            q.setParameter("after", after);
        }
        return q.setMaxResults(limit).getResultList();
    }

    /**
     * @param flow    a flow name
     * @param version one of its versions
     * @return how many of its executions on that version are unfinished
     */
    public long unfinishedCount(String flow, int version) {
        return em.createQuery("SELECT COUNT(e) FROM FlowExecution e WHERE e.flow = :flow "
                        + "AND e.flowVersion = :version AND e.status IN :open", Long.class)
                .setParameter("flow", flow).setParameter("version", version).setParameter("open", OPEN)
                .getSingleResult();
    }

    /**
     * @param executionId an execution
     * @return every agent request it made, oldest first (read-only copies)
     */
    public List<AgentRequest> requestsOf(UUID executionId) {
        return em.createQuery("SELECT r FROM AgentRequest r WHERE r.executionId = :id ORDER BY r.createdAt, r.id",
                AgentRequest.class).setParameter("id", executionId).getResultList();
    }

    /**
     * @param requestId an agent request
     * @return its step as committed now, read afresh (not the copy this transaction may hold), or null
     */
    public String stepOf(UUID requestId) {
        List<String> step = em.createQuery("SELECT r.step FROM AgentRequest r WHERE r.id = :id", String.class)
                .setParameter("id", requestId).getResultList();
        return step.isEmpty() ? null : step.get(0);
    }

    /** An agent request's new step name, to be written only at the version it was read at. */
    public record RequestStep(UUID requestId, long version, String step) {
    }

    /**
     * Moves an execution to another version of its flow, as a migration decided on the row as read
     * (new version, state and progress, its history events), and renames its agent requests' steps.
     * The row is written only while it is at the version the migration was decided on, still on
     * {@code fromVersion}, unfinished, and no worker holds a live lease on it (a step running now
     * would commit the old graph's result; the step fence refuses it once the version moved).
     *
     * <p>The row is written first: a concurrent answer, deadline or cancellation either committed
     * before (then the version differs and nothing is written) or must write the row after this
     * transaction. Every committed change of a request changes its execution in the same
     * transaction, so a request read after the row is still as read when the row update succeeds.
     *
     * @param write       the migrated execution (its copy changed by {@link FlowExecution#migrateTo})
     * @param fromVersion the version it was decided on
     * @param requests    the requests whose step is renamed
     * @param now         the current time (a lease expiring later is live)
     * @return false when the row moved on or is leased: then nothing at all was written
     * @throws IllegalStateException when a request changed without its execution (the transaction rolls back)
     */
    public boolean commitMigration(ExecutionWrite write, int fromVersion, List<RequestStep> requests, Instant now) {
        FlowExecution row = write.row();
        int moved = em.createQuery("UPDATE FlowExecution e SET e.flowVersion = :to, e.state = :state, "
                        + "e.progress = :progress, e.lastEventSeq = :seq, e.updatedAt = :updatedAt, "
                        + "e.version = e.version + 1 WHERE e.id = :id AND e.version = :expected "
                        + "AND e.flowVersion = :from AND e.status IN :open "
                        + "AND (e.leaseExpiresAt IS NULL OR e.leaseExpiresAt <= :now)")
                .setParameter("to", row.flowVersion()).setParameter("state", row.state())
                .setParameter("progress", row.progress()).setParameter("seq", row.lastEventSeq())
                .setParameter("updatedAt", row.updatedAt()).setParameter("id", row.id())
                .setParameter("expected", write.expectedVersion()).setParameter("from", fromVersion)
                .setParameter("open", OPEN).setParameter("now", now).executeUpdate();
        if (moved != 1) {
            return false;
        }
        for (RequestStep request : requests) {
            int renamed = em.createQuery("UPDATE AgentRequest r SET r.step = :step, r.version = r.version + 1 "
                            + "WHERE r.id = :id AND r.version = :version")
                    .setParameter("step", request.step()).setParameter("id", request.requestId())
                    .setParameter("version", request.version()).executeUpdate();
            if (renamed != 1) {
                throw new IllegalStateException("agent request " + request.requestId() + " changed without its execution");
            }
        }
        row.writtenAs(write.expectedVersion() + 1);
        writeRest(write);
        return true;
    }

    private static final String QUOTA_TAKE = """
            UPDATE owner_quota SET active_count = active_count + 1, updated_at = ?1
             WHERE owner = ?2 AND active_count < ?3""";
    private static final String QUOTA_GIVE_BACK = """
            UPDATE owner_quota SET active_count = active_count - 1, updated_at = ?1
             WHERE owner = ?2 AND active_count > 0""";
    private static final String QUOTA_ACTIVE = "SELECT active_count FROM owner_quota WHERE owner = ?1";
    private static final String QUOTA_CREATE = """
            INSERT INTO owner_quota (owner, active_count, updated_at) VALUES (?1, 0, ?2)""";

    /** What became of a quota take. */
    public enum QuotaTake {
        /** A slot was taken. */
        TAKEN,
        /** The owner is at its cap. */
        FULL,
        /** The owner has no counter row yet: {@link Store#createQuota} it, then start again. */
        NO_ROW
    }

    /**
     * Takes one of the owner's slots, inside a start's transaction: one conditional UPDATE
     * ({@code active_count < cap}), whose row lock serializes concurrent starts by the same owner,
     * so the cap holds on any number of instances without counting rows.
     *
     * @param owner the subject starting an execution
     * @param cap   its cap
     * @param now   the current time
     * @return whether a slot was taken
     */
    public QuotaTake takeQuota(String owner, int cap, Instant now) {
        // The UPDATE can miss a row a concurrent first start created after it looked (READ
        // COMMITTED): then the row is read again and, if there is room, the UPDATE retried.
        for (int attempt = 0; attempt < 3; attempt++) {
            int updated = em.createNativeQuery(QUOTA_TAKE).setParameter(1, now).setParameter(2, owner)
                    .setParameter(3, cap).executeUpdate();
            if (updated == 1) {
                return QuotaTake.TAKEN;
            }
            List<?> active = em.createNativeQuery(QUOTA_ACTIVE).setParameter(1, owner).getResultList();
            if (active.isEmpty()) {
                return QuotaTake.NO_ROW;
            }
            if (((Number) active.get(0)).intValue() >= cap) {
                return QuotaTake.FULL;
            }
        }
        throw new IllegalStateException("could not take a quota slot for a busy owner; try again");
    }

    void createQuota(String owner, Instant now) {
        em.createNativeQuery(QUOTA_CREATE).setParameter(1, owner).setParameter(2, now).executeUpdate();
    }

    /**
     * Inserts an idempotency key in the start's transaction; a concurrent start with the same
     * owner and key makes the primary key refuse one of them at commit.
     *
     * @param key the key, naming the execution it started
     */
    public void insertKey(IdempotencyKey key) {
        em.persist(key);
        em.flush();
    }

    /**
     * Removes a key whose time is up, so that it may be used again.
     *
     * @param owner the key's owner
     * @param key   the key
     * @param now   the current time
     */
    public void removeExpiredKey(String owner, String key, Instant now) {
        IdempotencyKey read = em.find(IdempotencyKey.class, new IdempotencyKey.Id(owner, key));
        if (read != null) {
            em.detach(read); // the new key of the same id is persisted next
        }
        em.createQuery("DELETE FROM IdempotencyKey k WHERE k.id = :id AND k.expiresAt <= :now")
                .setParameter("id", new IdempotencyKey.Id(owner, key)).setParameter("now", now).executeUpdate();
    }

    List<Runnable> afterCommit() {
        return afterCommit;
    }
}
