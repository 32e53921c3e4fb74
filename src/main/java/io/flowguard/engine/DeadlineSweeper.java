package io.flowguard.engine;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

import io.flowguard.store.OneLineError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Fires expired agent waits from the database, so deadlines survive restarts: any instance may
 * fire any deadline, and the row lock in {@link AgentWaits#expire} makes each fire exactly once.
 */
@ApplicationScoped
public class DeadlineSweeper {

    private static final Logger LOG = Logger.getLogger(DeadlineSweeper.class.getName());
    private static final int BATCH = 100;

    @Inject
    private AgentWaits waits;

    /**
     * Fires every wait whose deadline has passed (in batches).
     *
     * @param actor         who fires them (recorded in history)
     * @param databaseReady skip while the database is not ready
     * @return how many this call fired
     */
    public int sweep(String actor, BooleanSupplier databaseReady) {
        if (!databaseReady.getAsBoolean()) {
            return 0;
        }
        int fired = 0;
        try {
            List<UUID> due = waits.due(Instant.now(), BATCH);
            for (UUID request : due) {
                if (waits.expire(request, actor)) {
                    fired++;
                }
            }
        } catch (RuntimeException e) {
            LOG.warning("deadline sweep failed: " + OneLineError.of(e));
        }
        return fired;
    }
}
