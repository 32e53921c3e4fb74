/**
 * Persistence: the pooled data source, Flyway migrations and the schema gate, JPA entities and
 * the SQL that matters, and the execution status machine's persistence. Depends on nothing of
 * Flowguard's; the engine and the API use it.
 */
package io.flowguard.store;
