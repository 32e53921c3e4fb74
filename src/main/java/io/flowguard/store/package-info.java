/**
 * Persistence: the pooled data source, Flyway migrations and the schema gate, JPA entities and
 * the SQL that matters, and the execution status machine's persistence. Depends on nothing of
 * Flowguard's; the engine and the API use it.
 *
 * <p>Names: the persistence unit is {@code flowguard}, its data source {@code flowguard-db}
 * ({@link io.flowguard.store.DataSourceProducer#NAME}). They differ because the unit also has a
 * {@code @Named("flowguard")} configuration of its own, the narrow view described in
 * {@code PersistenceUnitConfig}, and CDI allows one bean per name.
 */
package io.flowguard.store;
