package io.flowguard.engine;

import java.time.Instant;

import io.flowguard.store.ExecutionEvent;

/**
 * One entry of an execution's history.
 *
 * @param seq       its number in the execution's history (1, 2, ...)
 * @param type      what happened ({@link io.flowguard.store.EventType} names)
 * @param step      the step it concerns, or null
 * @param stepRunId the step run's id (the same for every run of that step), or null
 * @param actor     who did it (a worker id or a subject)
 * @param detail    a safe description, or null
 * @param at        when
 */
public record EventSnapshot(int seq, String type, String step, String stepRunId, String actor, String detail,
                            Instant at) {

    static EventSnapshot of(ExecutionEvent v) {
        return new EventSnapshot(v.seq(), v.type(), v.step(), v.stepRunId(), v.actor(), v.detail(), v.createdAt());
    }
}
