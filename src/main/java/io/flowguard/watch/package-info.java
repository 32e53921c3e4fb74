/**
 * Waiting for a change instead of polling for it. Every committed change to an execution (its
 * history grows) and every new agent request signals, after its transaction commits, the
 * requests of this instance that wait for it ({@link io.flowguard.watch.ChangeSignals}); the API
 * answers a {@code Prefer: wait=N} request as soon as the thing it waits for changed
 * ({@link io.flowguard.watch.LongPoll}). Keys are narrow so that a commit wakes only those who
 * wait for it: {@code execution:<id>} (its history grew), {@code role:<role>} (a request for that role)
 * and {@code asked:<execution>} (a request of that execution, for an inbox read filtered to it:
 * the steps committed before the ask do not wake it).
 *
 * <p>Changes committed by another instance send no signal here, so a waiting request also reads
 * the database again every {@code flowguard.api.wait.recheck}: a client sees another instance's
 * change at most that late, and one waiting client costs one primary-key read per recheck instead
 * of the dozens per second a polling client sends.
 */
package io.flowguard.watch;
