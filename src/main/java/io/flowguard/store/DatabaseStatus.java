package io.flowguard.store;

/**
 * Whether the database can serve the engine now, and if not, why.
 *
 * @param ready  true when reachable, fully migrated and matching the entities
 * @param reason a short, non-sensitive reason when not ready ("database unreachable",
 *               "migrations pending"); the detailed cause goes to the log only
 */
public record DatabaseStatus(boolean ready, String reason) {

    /** The ready status. */
    public static final DatabaseStatus READY = new DatabaseStatus(true, "ready");

    /**
     * @param reason why not
     * @return a not-ready status
     */
    public static DatabaseStatus notReady(String reason) {
        return new DatabaseStatus(false, reason);
    }
}
