package io.flowguard.engine;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.EntityManager;

/**
 * The per-owner cap on active executions, kept as a counter row per owner in
 * {@code owner_quota}. Taking a slot is one conditional UPDATE ({@code active_count < cap}) in
 * the start's own transaction: the row lock it takes serializes concurrent starts by the same
 * owner, so the cap holds under any concurrency and on any number of instances, without
 * counting rows. Every move to a terminal status gives the slot back in that move's transaction.
 */
final class OwnerQuota {

    private static final String TAKE = """
            UPDATE owner_quota SET active_count = active_count + 1, updated_at = ?1
             WHERE owner = ?2 AND active_count < ?3""";
    private static final String GIVE_BACK = """
            UPDATE owner_quota SET active_count = active_count - 1, updated_at = ?1
             WHERE owner = ?2 AND active_count > 0""";
    private static final String ACTIVE = "SELECT active_count FROM owner_quota WHERE owner = ?1";
    private static final String CREATE = """
            INSERT INTO owner_quota (owner, active_count, updated_at) VALUES (?1, 0, ?2)""";

    /** The owner has no counter row yet; the caller creates it in its own transaction and retries. */
    static final class RowMissing extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RowMissing() {
            super("owner quota row missing", null, false, false);
        }
    }

    private OwnerQuota() {
    }

    /**
     * Takes one slot for a new execution, inside the start's transaction.
     *
     * @throws EngineException QUOTA_EXCEEDED at the cap
     * @throws RowMissing      when the owner has never started anything
     */
    static void take(EntityManager em, String owner, int cap, Instant now) {
        // The UPDATE can miss a row a concurrent first start created after it looked (READ
        // COMMITTED): then the row is read again and, if there is room, the UPDATE retried.
        for (int attempt = 0; attempt < 3; attempt++) {
            int updated = em.createNativeQuery(TAKE).setParameter(1, now).setParameter(2, owner).setParameter(3, cap)
                    .executeUpdate();
            if (updated == 1) {
                return;
            }
            List<?> active = em.createNativeQuery(ACTIVE).setParameter(1, owner).getResultList();
            if (active.isEmpty()) {
                throw new RowMissing();
            }
            if (((Number) active.get(0)).intValue() >= cap) {
                throw new EngineException(EngineException.Problem.QUOTA_EXCEEDED,
                        "at most " + cap + " active executions per owner; wait for one to finish or cancel one");
            }
        }
        throw new IllegalStateException("could not take a quota slot for a busy owner; try again");
    }

    /** Gives a slot back when an execution reaches a terminal status, inside that move's transaction. */
    static void giveBack(EntityManager em, String owner, Instant now) {
        em.createNativeQuery(GIVE_BACK).setParameter(1, now).setParameter(2, owner).executeUpdate();
    }

    /** Creates the owner's counter at zero; fails when a concurrent start created it first, which is fine. */
    static void create(EntityManager em, String owner, Instant now) {
        em.createNativeQuery(CREATE).setParameter(1, owner).setParameter(2, now).executeUpdate();
    }
}
