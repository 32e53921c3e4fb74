/**
 * Retention: finished executions older than {@code flowguard.retention} leave the database with
 * their events, agent requests and idempotency keys, in bounded batches, one instance at a time
 * under a database lease. Depends on {@code store}, whose {@code RetentionStore} holds the SQL (the
 * lease and the bounded deletes), and on {@code service} (the data source, the schema gate).
 */
package io.flowguard.retention;
