/**
 * The durable engine: starting, running, resuming and cancelling executions; worker pools that
 * claim with leases and heartbeat them; step commits fenced by the lease; retries with backoff;
 * agent waits and their deadline sweeper.
 *
 * <p>Hand-off: a start or an answer that finds an idle worker in this instance reserves it first
 * ({@link io.flowguard.engine.WorkerPool#reserve()}), writes the lease for it in the same
 * transaction as the new row or the answer ({@link io.flowguard.engine.LocalLease}), and gives the
 * committed row (and the answer) to that worker after commit. The execution runs at once, with no
 * claim query and no re-read. When every worker is busy the execution is still leased here, up to
 * {@code flowguard.engine.hand-off-backlog}, and waits for a worker (one waiting hand-off per
 * worker turn, a waiting claimer first, so the backlog starves nothing); beyond that nothing is
 * leased and the claimers of every instance pick it up as usual. Hand-off changes who runs an
 * execution first, never whether it runs.
 *
 * <p>Depends on {@code flow} (the DSL), {@code engine.graph} (the registry of flow graphs),
 * {@code store} (entities and lease SQL), {@code outbound} (a step's service calls), {@code watch}
 * (commit signals) and {@code logging}; the API depends on it through {@link io.flowguard.engine.ExecutionEngine}.
 * Rules, checked by {@code ArchitectureTest}: no package cycle; SQL and JPA only in the classes
 * listed there (the list may only shrink). Not yet true, written there but ignored: the core uses no
 * Helidon, CDI, JAX-RS, JTA or MicroProfile API.
 */
package io.flowguard.engine;
