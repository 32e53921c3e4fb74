package io.flowguard.retention;

import java.time.Duration;
import java.util.List;

/**
 * What one sweep did.
 *
 * @param ran             false when another instance held the lease (nothing was deleted)
 * @param executions      finished executions deleted
 * @param events          their history events deleted
 * @param agentRequests   their agent requests deleted
 * @param idempotencyKeys idempotency keys deleted (those of deleted executions, and every expired one)
 * @param batches         rows deleted by each transaction, in order
 * @param took            how long the sweep took
 */
public record RetentionReport(boolean ran, long executions, long events, long agentRequests, long idempotencyKeys,
                              List<Integer> batches, Duration took) {

    /** @return a report of a sweep that did not run because another instance held the lease */
    static RetentionReport skipped() {
        return new RetentionReport(false, 0, 0, 0, 0, List.of(), Duration.ZERO);
    }

    /** @return rows deleted in all */
    public long rows() {
        return executions + events + agentRequests + idempotencyKeys;
    }

    @Override
    public String toString() {
        return ran ? "retention: deleted " + executions + " executions, " + events + " events, " + agentRequests
                + " agent requests, " + idempotencyKeys + " idempotency keys in " + batches.size()
                + " transactions, " + took.toMillis() + " ms"
                : "retention: skipped, another instance holds the lease";
    }
}
