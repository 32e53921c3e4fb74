package io.flowguard.engine;

import java.time.Instant;

import io.flowguard.store.AgentRequest;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.FlowExecution;
import jakarta.persistence.EntityManager;

/**
 * Decides where an execution stands after its progress changed: steps queued → RUNNING and due
 * now; nothing queued but agents awaited → WAITING_AGENT with its lease released; nothing at
 * all → COMPLETED. Also ends executions, cancelling whatever waits they still hold.
 */
final class Settle {

    /** What the worker holding the execution should do next. */
    enum Next {
        /** More steps are queued: keep going under the same lease. */
        CONTINUE,
        /** Parked, finished or rescheduled: let go. */
        STOP
    }

    private Settle() {
    }

    static Next apply(EntityManager em, EngineComponents components, FlowExecution e, Progress progress, String actor,
                      Instant now) {
        e.replaceProgress(components.codec().write(progress));
        if (!progress.queue().isEmpty()) {
            if (e.status() != ExecutionStatus.RUNNING) {
                History.move(em, e, ExecutionStatus.RUNNING, actor, now);
            }
            e.scheduleAt(now);
            return Next.CONTINUE;
        }
        if (!progress.waiting().isEmpty()) {
            if (e.status() != ExecutionStatus.WAITING_AGENT) {
                if (e.status() == ExecutionStatus.PENDING) {
                    History.move(em, e, ExecutionStatus.RUNNING, actor, now);
                }
                History.move(em, e, ExecutionStatus.WAITING_AGENT, actor, now);
            }
            e.scheduleAt(null);
            e.lease(null, null);
            return Next.STOP;
        }
        if (e.status() == ExecutionStatus.PENDING) {
            History.move(em, e, ExecutionStatus.RUNNING, actor, now);
        }
        e.lease(null, null);
        finish(em, components, e, ExecutionStatus.COMPLETED, actor, now);
        return Next.STOP;
    }

    /** Ends the execution in a terminal status, recording why, and closes its open waits. */
    static void end(EntityManager em, EngineComponents components, FlowExecution e, ExecutionStatus terminal,
                    String errorType, String error, String actor, Instant now) {
        StateCodec codec = components.codec();
        if (errorType != null) {
            e.recordError(errorType, error);
        }
        for (AgentRequest r : em.createQuery(
                "SELECT r FROM AgentRequest r WHERE r.executionId = :id AND r.status = :pending", AgentRequest.class)
                .setParameter("id", e.id()).setParameter("pending", AgentRequest.Status.PENDING).getResultList()) {
            r.cancel();
        }
        e.replaceProgress(codec.write(codec.readProgress(e.progress()).cleared()));
        e.lease(null, null);
        finish(em, components, e, terminal, actor, now);
    }

    /**
     * The one way into a terminal status: records the move, gives the owner's quota slot back and
     * counts the execution as finished once the transaction commits.
     */
    static void finish(EntityManager em, EngineComponents components, FlowExecution e,
                               ExecutionStatus terminal, String actor, Instant now) {
        History.move(em, e, terminal, actor, now);
        OwnerQuota.giveBack(em, e.owner(), now);
        components.metrics().finishedOnCommit(e.flow(), terminal);
    }
}
