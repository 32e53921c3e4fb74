/**
 * Persistence: the pooled data source, Flyway migrations and the schema gate, JPA entities and
 * the SQL that matters, and the execution status machine's persistence. Depends of Flowguard's
 * only on {@code config} (secrets) and {@code watch} (commit signals); the engine and the API use
 * it. Rule, checked by {@code ArchitectureTest}: only this package touches {@code java.sql},
 * {@code javax.sql} and {@code jakarta.persistence}, besides a listed set of engine and retention
 * classes that may only shrink.
 *
 * <p>Names: the persistence unit is {@code flowguard}, its data source {@code flowguard-db}
 * ({@link io.flowguard.store.DataSourceProducer#NAME}). They differ because the unit also has a
 * {@code @Named("flowguard")} configuration of its own, the narrow view described in
 * {@code PersistenceUnitConfig}, and CDI allows one bean per name.
 */
package io.flowguard.store;
