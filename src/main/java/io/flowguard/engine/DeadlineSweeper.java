package io.flowguard.engine;

import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

import io.flowguard.store.OneLineError;

/**
 * Fires expired agent waits from the database, so deadlines survive restarts: any instance may
 * fire any deadline, and the store's deadline-once update makes each fire exactly once.
 */
final class DeadlineSweeper {

    private static final Logger LOG = Logger.getLogger(DeadlineSweeper.class.getName());
    private static final int BATCH = 100;

    private final EngineParts parts;
    private final AgentWaits waits;

    DeadlineSweeper(EngineParts parts, AgentWaits waits) {
        this.parts = parts;
        this.waits = waits;
    }

    /**
     * Fires every wait whose deadline has passed by the engine's clock (one batch).
     *
     * @param actor who fires them (recorded in history)
     * @return how many this call fired
     */
    int sweep(String actor) {
        int fired = 0;
        try {
            List<UUID> due = waits.due(parts.clock().instant(), BATCH);
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
