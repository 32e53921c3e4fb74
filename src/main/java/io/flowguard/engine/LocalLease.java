package io.flowguard.engine;

import java.time.Instant;

/**
 * A lease given to a worker of this instance inside the transaction that makes an execution
 * runnable (a start, an answer), so that worker runs it as soon as that transaction commits:
 * no claim transaction, no read of the row the transaction just wrote, no wait for the claimer.
 * The lease fences other instances exactly as a claimed one does; if this instance dies before
 * the worker commits, the lease lapses and any instance claims the execution.
 *
 * @param owner     the worker id that will hold it
 * @param expiresAt when it lapses unless the worker's heartbeat extends it
 */
public record LocalLease(String owner, Instant expiresAt) {
}
