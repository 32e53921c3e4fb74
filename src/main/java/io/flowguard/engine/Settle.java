package io.flowguard.engine;

import java.time.Instant;

import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.ExecutionWrite;
import io.flowguard.store.FlowExecution;

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

    static Next apply(EngineParts parts, ExecutionWrite w, Progress progress, String actor, Instant now) {
        FlowExecution e = w.row();
        e.replaceProgress(parts.codec().write(progress));
        if (!progress.queue().isEmpty()) {
            if (e.status() != ExecutionStatus.RUNNING) {
                History.move(w, ExecutionStatus.RUNNING, actor, now);
            }
            e.scheduleAt(now);
            return Next.CONTINUE;
        }
        if (!progress.waiting().isEmpty()) {
            if (e.status() != ExecutionStatus.WAITING_AGENT) {
                if (e.status() == ExecutionStatus.PENDING) {
                    History.move(w, ExecutionStatus.RUNNING, actor, now);
                }
                History.move(w, ExecutionStatus.WAITING_AGENT, actor, now);
            }
            e.scheduleAt(null);
            e.lease(null, null);
            return Next.STOP;
        }
        if (e.status() == ExecutionStatus.PENDING) {
            History.move(w, ExecutionStatus.RUNNING, actor, now);
        }
        e.lease(null, null);
        finish(parts, w, ExecutionStatus.COMPLETED, actor, now);
        return Next.STOP;
    }

    /** Ends the execution in a terminal status, recording why, and closes its open waits. */
    static void end(EngineParts parts, ExecutionWrite w, ExecutionStatus terminal, String errorType, String error,
                    String actor, Instant now) {
        FlowExecution e = w.row();
        if (errorType != null) {
            e.recordError(errorType, error);
        }
        w.closeOpenRequests();
        e.replaceProgress(parts.codec().write(parts.codec().readProgress(e.progress()).cleared()));
        e.lease(null, null);
        finish(parts, w, terminal, actor, now);
    }

    /**
     * The one way into a terminal status: records the move, gives the owner's quota slot back and
     * counts the execution as finished once the write commits.
     */
    static void finish(EngineParts parts, ExecutionWrite w, ExecutionStatus terminal, String actor, Instant now) {
        History.move(w, terminal, actor, now);
        w.giveBackQuota();
        String flow = w.row().flow();
        w.afterCommit(() -> parts.metrics().finished(flow, terminal));
    }
}
