/**
 * Retention: finished executions older than {@code flowguard.retention} leave the database with
 * their events, agent requests and idempotency keys, in bounded batches, one instance at a time
 * under a database lease. Depends on {@code store} (the schema gate, errors). Its own SQL is on the
 * shrinking list of {@code ArchitectureTest}: it belongs in the store.
 */
package io.flowguard.retention;
