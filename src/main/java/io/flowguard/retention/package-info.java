/**
 * Retention: finished executions older than {@code flowguard.retention} leave the database with
 * their events, agent requests and idempotency keys, in bounded batches, one instance at a time
 * under a database lease. Depends on {@code store} (the schema gate, errors).
 */
package io.flowguard.retention;
