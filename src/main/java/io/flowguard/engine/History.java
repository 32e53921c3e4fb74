package io.flowguard.engine;

import java.time.Instant;

import io.flowguard.store.EventType;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.ExecutionWrite;

/**
 * Moves an execution's status and records the move in its history, in the write that makes it:
 * every change the engine makes to an execution appends an event, so the history is complete by
 * construction.
 */
final class History {

    private History() {
    }

    /** Moves the status (the status machine throws on an illegal move) and records it. */
    static void move(ExecutionWrite w, ExecutionStatus target, String actor, Instant at) {
        ExecutionStatus from = w.row().status();
        w.row().moveTo(target, at);
        w.append(EventType.STATUS, null, actor, from + " -> " + target, at);
    }
}
