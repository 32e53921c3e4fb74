package io.flowguard.engine;

import java.time.Instant;
import java.util.UUID;

import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.FlowExecution;

/**
 * An execution as committed at one moment: immutable, detached from any database session.
 *
 * @param id             the execution
 * @param flow           its registered flow name
 * @param flowVersion    the flow version it runs on
 * @param owner          the subject that started it
 * @param status         where it stands
 * @param state          its state, as JSON
 * @param version        its version (every change bumps it; the API's ETag)
 * @param lastEventSeq   the sequence number of its newest history event
 * @param leaseOwner     the worker holding its lease, or null
 * @param leaseExpiresAt when that lease lapses, or null
 * @param nextRunAt      when it is due to run, or null (waiting or finished)
 * @param errorType      why it failed, a stable type, or null
 * @param error          a safe description of the failure, or null
 * @param createdAt      when it was started
 * @param updatedAt      when its state or status last changed
 * @param finishedAt     when it finished, or null
 */
public record ExecutionSnapshot(UUID id, String flow, int flowVersion, String owner, ExecutionStatus status,
                                String state, long version, int lastEventSeq, String leaseOwner, Instant leaseExpiresAt,
                                Instant nextRunAt, String errorType, String error, Instant createdAt,
                                Instant updatedAt, Instant finishedAt) {

    static ExecutionSnapshot of(FlowExecution e) {
        return new ExecutionSnapshot(e.id(), e.flow(), e.flowVersion(), e.owner(), e.status(), e.state(), e.version(),
                e.lastEventSeq(), e.leaseOwner(), e.leaseExpiresAt(), e.nextRunAt(), e.errorType(), e.error(), e.createdAt(),
                e.updatedAt(), e.finishedAt());
    }
}
