/**
 * The engine core, embeddable in plain Java: {@link io.flowguard.engine.Engine} is the one facade
 * (start with an idempotency key, get, list, history, inbox, answer, cancel, migrate; each returns an
 * immutable snapshot, never an entity) and {@link io.flowguard.engine.WorkerPool} the one worker
 * machinery (a claimer, bounded workers, heartbeats, the deadline sweeper). An engine is built by
 * {@link io.flowguard.engine.Engine#builder()} from a {@code DataSource}, the flow classes or
 * instances, {@link io.flowguard.engine.EngineSettings} and a {@link java.time.Clock}: every
 * lease, heartbeat, deadline and retry backoff is measured by that clock, so a test moves time
 * instead of sleeping, and {@link io.flowguard.engine.Engine#runDue()} drives whatever is due on
 * the calling thread.
 *
 * <p>The engine decides; the store writes. Each change to an execution is computed on a copy of
 * the row the change was decided on ({@code ExecutionWrite}) and handed to the store, whose
 * guarded {@code UPDATE ... WHERE} accepts or refuses it whole: the step fence (owner, unexpired
 * lease, version), version-checked answers, deadlines and cancellations, answer-once, the quota.
 * The engine never checks a guard in Java after a locked read.
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
 * <p>Migrations ({@link io.flowguard.engine.Engine#migrate}): a batch of unfinished executions of an
 * older flow version moved to the newer one that declares it, each decided by the same code in a
 * dry run and a real run ({@code MigrationPlan}) and written by the store's version- and
 * lease-guarded {@code commitMigration}.
 *
 * <p>Depends on {@code flow} (the DSL), {@code engine.graph} (the registry of flow graphs),
 * {@code store}, {@code json} (strict JSON) and {@code logging} (the fields of audit lines);
 * nothing else of Flowguard's. Outbound calls come in through
 * {@link io.flowguard.engine.ServiceCaller}, the logging context through
 * {@link io.flowguard.engine.DriveObserver}, commit signals through the store's
 * {@code CommitListener}. Rules, checked by {@code ArchitectureTest}: no package cycle; no
 * Helidon, CDI, JAX-RS, JTA or MicroProfile API here; no SQL or JPA (only the store's).
 */
package io.flowguard.engine;
