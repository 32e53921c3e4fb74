package io.flowguard.engine;

import java.time.Instant;

import io.flowguard.store.ExecutionEvent;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.EventType;
import io.flowguard.store.FlowExecution;
import jakarta.persistence.EntityManager;

/**
 * Appends to an execution's history inside the caller's transaction. Every change the engine
 * makes to an execution goes through here, so the history is complete by construction.
 */
final class History {

    private History() {
    }

    static void append(EntityManager em, FlowExecution e, EventType type, String step, String actor, String detail,
                       Instant at) {
        String stepRunId = step == null ? null : e.id() + ":" + step;
        em.persist(new ExecutionEvent(e.id(), e.nextEventSeq(), type, step, stepRunId, actor, detail, at));
    }

    /** Moves the status (the status machine throws on an illegal move) and records it. */
    static void move(EntityManager em, FlowExecution e, ExecutionStatus target, String actor, Instant at) {
        ExecutionStatus from = e.status();
        e.moveTo(target, at);
        append(em, e, EventType.STATUS, null, actor, from + " -> " + target, at);
    }
}
