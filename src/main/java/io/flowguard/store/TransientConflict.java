package io.flowguard.store;

import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PessimisticLockException;

/**
 * Recognises, in an exception's cause chain, a conflict between concurrent transactions that
 * trying again resolves: a deadlock the database broke (PostgreSQL 40P01), a serialization
 * failure (40001), or a lock wait that timed out (H2: a lock timeout, HYT00 or 50200, or a concurrent update, 90131). Nothing else.
 */
public final class TransientConflict {

    private static final Set<String> STATES = Set.of("40P01", "40001", "HYT00", "50200", "90131");

    private TransientConflict() {
    }

    /**
     * @param failure what a transaction threw
     * @return true when running the transaction again may succeed
     */
    public static boolean isCause(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof PessimisticLockException || t instanceof LockTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
