/**
 * The store: every statement that decides correctness, readable in one sitting. {@link
 * io.flowguard.store.Store} bootstraps the JPA unit (Hibernate, resource-local, no {@code
 * persistence.xml}) on the data source it is given and demarcates each transaction; {@link
 * io.flowguard.store.StoreTransaction} holds the guarded writes (the step fence, version-checked
 * changes, answer-once, deadline-once, the quota, idempotency keys) and the reads the engine
 * decides on; {@link io.flowguard.store.LeaseStore} the claim (PostgreSQL: {@code FOR UPDATE SKIP
 * LOCKED}; H2: read, then a conditional update), the heartbeat and the release; {@link
 * io.flowguard.store.RetentionStore} retention's lease and bounded deletes; {@link
 * io.flowguard.store.SchemaMigrator} the Flyway migrations; {@link
 * io.flowguard.store.InMemoryDatabase} a private H2 database in memory, migrated, for the test kit.
 * Entities, the status machine, the event types and the recognition of outages and transient
 * conflicts live here too.
 *
 * <p>Depends on nothing else of Flowguard's. Rules, checked by {@code ArchitectureTest}: no
 * container API (Helidon, CDI, JAX-RS, JTA, MicroProfile) here; outside this package only the
 * service adapter (which builds the pool and migrates through it) touches {@code java.sql},
 * {@code javax.sql} beyond {@code DataSource}, or {@code jakarta.persistence}.
 */
package io.flowguard.store;
