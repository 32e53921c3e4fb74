package io.flowguard.engine;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.flowguard.store.DatabaseVendor;
import io.flowguard.engine.graph.AgentRoles;
import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.engine.graph.FlowGraphBuilder;
import io.flowguard.engine.graph.FlowRegistry;
import io.flowguard.flow.Flow;
import io.flowguard.store.CommitListener;
import io.flowguard.store.EventType;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.ExecutionWrite;
import io.flowguard.store.FlowExecution;
import io.flowguard.store.IdempotencyKey;
import io.flowguard.store.LeaseStore;
import io.flowguard.store.Store;
import io.flowguard.store.StoreTransaction;
import io.flowguard.store.UnfinishedExecutions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The engine: what callers use (start, read, list, history, inbox, answer, cancel, each returning
 * immutable snapshots) and the workers that run the flows ({@link WorkerPool}). Built in plain
 * Java by {@link #builder()} from a {@link DataSource}, the flows, settings and a {@link Clock};
 * it needs no container. Flow names from callers resolve only through the registry; inputs are
 * validated before anything is written. Ownership is the caller's job (the API checks that a
 * subject reads only its own executions); agent roles are checked here too.
 *
 * <p>Transactions: each call is one short resource-local transaction of the {@link Store} (two
 * for an owner's very first start, which creates its quota counter). A step's code never runs
 * inside one: a worker reads the row, runs the step with no transaction open, then commits the
 * result in one transaction through the store's step fence.
 */
public final class Engine implements AutoCloseable {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    private static final int MAX_DRAIN_ROUNDS = 10_000;

    private final EngineParts parts;
    private final LeaseStore leases;
    private final StepRunner runner;
    private final AgentWaits waits;
    private final DeadlineSweeper sweeper;
    private final Migrator migrator;
    private final String instanceId;
    private final BooleanSupplier databaseReady;
    private final boolean ownsStore;
    private final DeploymentGate deployment;
    private final UnfinishedCounts unfinished;
    private volatile WorkerPool pool;
    private volatile boolean closed;

    private Engine(Builder b, Store store, FlowRegistry registry) {
        this.parts = new EngineParts(b.settings, new StateCodec(b.settings.maxStateBytes()), registry,
                new EngineMetrics(b.meters, () -> store.transaction(tx -> tx.gaugeCounts(b.clock.instant()))),
                store, b.clock, b.services.apply(registry.flows()), b.drives, new AtomicLong());
        this.leases = new LeaseStore(store.dataSource(), store.vendor(), count -> parts.metrics().leasesReclaimed(count));
        this.runner = new StepRunner(parts, leases);
        this.waits = new AgentWaits(parts);
        this.sweeper = new DeadlineSweeper(parts, waits);
        this.migrator = new Migrator(parts);
        this.instanceId = b.instanceId != null ? b.instanceId : defaultId();
        this.databaseReady = b.databaseReady;
        this.ownsStore = b.store == null;
        UnfinishedExecutions unfinishedRows = new UnfinishedExecutions(store.dataSource());
        this.deployment = new DeploymentGate(new DeploymentCheck(registry, unfinishedRows, parts.codec()), parts,
                b.onMissing, b.deploymentLog, instanceId);
        this.unfinished = new UnfinishedCounts(unfinishedRows, registry, b.clock);
    }

    /** @return a builder of an engine */
    public static Builder builder() {
        return new Builder();
    }

    // ---- the facade ----------------------------------------------------------------------------

    /**
     * Starts the newest registered version of a flow, at most once per idempotency key: the same
     * key and input return the same execution (replayed), another input under the same key is
     * refused, and concurrent duplicates create exactly one execution. Keys are scoped to the
     * owner and expire after {@link EngineSettings#idempotencyTtl()}.
     *
     * @param flowName       a flow name from the caller
     * @param inputJson      the caller's input as JSON (the flow's input record)
     * @param owner          the authenticated subject
     * @param idempotencyKey the caller's key (1 to 255 visible ASCII characters), or null for none
     * @return the new PENDING execution (or the one the key started), and whether it was replayed
     * @throws EngineException UNKNOWN_FLOW, INVALID_INPUT, STATE_TOO_LARGE, QUOTA_EXCEEDED or
     *                         IDEMPOTENCY_MISMATCH; nothing is written then
     */
    public Started start(String flowName, String inputJson, String owner, String idempotencyKey) {
        FlowDefinition flow = flow(flowName);
        return start(flow, parts.codec().readInput(inputJson, flow.inputType()), owner, idempotencyKey);
    }

    /**
     * As {@link #start(String, String, String, String)}, for input the caller has already parsed
     * (the API parses a request body once).
     *
     * @param flowName       a flow name from the caller
     * @param input          the caller's input (the flow's input record, as a JSON tree)
     * @param owner          the authenticated subject
     * @param idempotencyKey the caller's key, or null for none
     * @return the execution, and whether it was replayed
     */
    public Started start(String flowName, com.fasterxml.jackson.databind.JsonNode input, String owner,
                         String idempotencyKey) {
        FlowDefinition flow = flow(flowName);
        return start(flow, parts.codec().readInput(input, flow.inputType()), owner, idempotencyKey);
    }

    private FlowDefinition flow(String flowName) {
        return parts.registry().latest(flowName)
                .orElseThrow(() -> new EngineException(EngineException.Problem.UNKNOWN_FLOW, "no such flow"));
    }

    private Started start(FlowDefinition flow, Object input, String owner, String idempotencyKey) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT,
                    "an idempotency key is 1 to 255 visible ASCII characters");
        }
        Object state = flow.initialState(input);
        parts.codec().validate(state);
        String stateJson = parts.codec().writeState(state);
        String hash = idempotencyKey == null ? null : RequestHash.of(flow.name(), stateJson);
        try (WorkerPool.Reservation worker = reserveWorker()) {
            Started started;
            try {
                started = withQuotaRow(owner, () -> parts.store().transaction(
                        tx -> startIn(tx, flow, stateJson, owner, idempotencyKey, hash, worker.lease())));
            } catch (EngineException e) {
                throw e;
            } catch (RuntimeException raced) {
                // A concurrent start with the same key committed first: ours was rolled back whole.
                Started winner = idempotencyKey == null ? null : parts.store().transaction(
                        tx -> replay(tx, owner, idempotencyKey, hash, parts.clock().instant()));
                if (winner == null) {
                    throw raced;
                }
                return winner;
            }
            if (!started.replayed()) {
                parts.metrics().started(flow.name());
                worker.handOff(started.committed, null);
            }
            return started;
        }
    }

    private Started startIn(StoreTransaction tx, FlowDefinition flow, String stateJson, String owner, String key,
                            String hash, LocalLease lease) {
        Instant now = parts.clock().instant();
        if (key != null) {
            Started earlier = replay(tx, owner, key, hash, now);
            if (earlier != null) {
                return earlier;
            }
        }
        switch (tx.takeQuota(owner, parts.settings().maxActivePerOwner(), now)) {
            case NO_ROW -> throw new QuotaRowMissing();
            case FULL -> throw new EngineException(EngineException.Problem.QUOTA_EXCEEDED, "at most "
                    + parts.settings().maxActivePerOwner() + " active executions per owner; wait for one to finish or cancel one");
            case TAKEN -> { }
        }
        FlowExecution e = new FlowExecution(UUID.randomUUID(), flow.name(), flow.version(), owner, stateJson,
                parts.codec().write(Progress.starting(flow.startSteps())), now);
        if (lease != null) {
            e.lease(lease.owner(), lease.expiresAt());
        }
        ExecutionWrite w = new ExecutionWrite(e);
        w.append(EventType.CREATED, null, owner, flow.name() + " v" + flow.version(), now);
        tx.insert(w);
        if (key != null) {
            tx.insertKey(new IdempotencyKey(owner, key, hash, e.id(), now, now.plus(parts.settings().idempotencyTtl())));
        }
        return new Started(ExecutionSnapshot.of(e), false, e);
    }

    /** @return the execution the key started earlier, or null when the key is unused (or expired, and removed) */
    private Started replay(StoreTransaction tx, String owner, String key, String hash, Instant now) {
        IdempotencyKey existing = tx.idempotencyKey(owner, key);
        if (existing == null) {
            return null;
        }
        if (!existing.expiresAt().isAfter(now)) {
            tx.removeExpiredKey(owner, key, now);
            return null;
        }
        if (!existing.requestHash().equals(hash)) {
            throw new EngineException(EngineException.Problem.IDEMPOTENCY_MISMATCH,
                    "this idempotency key was already used for a different request");
        }
        FlowExecution e = tx.execution(existing.executionId());
        return e == null ? null : new Started(ExecutionSnapshot.of(e), true, e);
    }

    /**
     * Runs a start; on the owner's very first one, creates the owner's quota counter and runs it
     * again (the first attempt rolled back having written nothing).
     */
    private Started withQuotaRow(String owner, java.util.function.Supplier<Started> start) {
        try {
            return start.get();
        } catch (QuotaRowMissing missing) {
            parts.store().createQuota(owner, parts.clock().instant());
        }
        return start.get();
    }

    /** The owner has no quota counter yet. */
    private static final class QuotaRowMissing extends RuntimeException {
        private static final long serialVersionUID = 1L;

        QuotaRowMissing() {
            super("owner quota row missing", null, false, false);
        }
    }

    /** An execution a start returned, and whether an earlier request with the same key created it. */
    public static final class Started {
        private final ExecutionSnapshot execution;
        private final boolean replayed;
        private final FlowExecution committed;

        private Started(ExecutionSnapshot execution, boolean replayed, FlowExecution committed) {
            this.execution = execution;
            this.replayed = replayed;
            this.committed = committed;
        }

        /** @return the execution */
        public ExecutionSnapshot execution() {
            return execution;
        }

        /** @return true when an earlier request with the same key created it */
        public boolean replayed() {
            return replayed;
        }
    }

    /**
     * @param id an execution id
     * @return the execution as committed now
     */
    public Optional<ExecutionSnapshot> get(UUID id) {
        return Optional.ofNullable(parts.store().transaction(tx -> tx.execution(id))).map(ExecutionSnapshot::of);
    }

    /**
     * @param owner  only this owner's (null: all)
     * @param status only this status (null: all)
     * @param limit  page size (1..500)
     * @param offset rows to skip
     * @return newest first
     */
    public List<ExecutionSnapshot> list(String owner, ExecutionStatus status, int limit, int offset) {
        return list(owner, status, null, null, limit, offset);
    }

    /**
     * Lists executions of any flow name and version stored, registered or not (so an operator can
     * see what still runs on a version about to be removed).
     *
     * @param owner   only this owner's (null: all)
     * @param status  only this status (null: all)
     * @param flow    only this flow's (null: all)
     * @param version only this version of {@code flow} (null: all; ignored without a flow)
     * @param limit   page size (1..500)
     * @param offset  rows to skip
     * @return newest first
     */
    public List<ExecutionSnapshot> list(String owner, ExecutionStatus status, String flow, Integer version,
                                        int limit, int offset) {
        Integer flowVersion = flow == null ? null : version;
        return parts.store().transaction(tx -> tx.executions(owner, status, flow, flowVersion,
                Math.max(1, Math.min(limit, 500)), Math.max(0, offset))).stream().map(ExecutionSnapshot::of).toList();
    }

    /**
     * @param id       the execution
     * @param afterSeq only events after this sequence number
     * @param limit    the most to return (1..1000)
     * @return history, oldest first
     */
    public List<EventSnapshot> history(UUID id, int afterSeq, int limit) {
        return parts.store().transaction(tx -> tx.history(id, Math.max(0, afterSeq), Math.max(1, Math.min(limit, 1000))))
                .stream().map(EventSnapshot::of).toList();
    }

    /**
     * @param roles       the caller's agent roles
     * @param executionId only this execution's requests, or null for all
     * @param limit       the most to return (1..500)
     * @return pending requests for those roles, by deadline
     */
    public List<RequestSnapshot> inbox(Set<String> roles, UUID executionId, int limit) {
        return waits.inbox(roles, executionId, Math.max(1, Math.min(limit, 500))).stream()
                .map(RequestSnapshot::of).toList();
    }

    /**
     * Answers an agent request and resumes its execution.
     *
     * @param requestId   the agent request
     * @param callerRoles the caller's agent roles
     * @param subject     the caller
     * @param answerJson  the answer object
     * @return the resumed execution as the answer committed it
     * @throws EngineException NOT_FOUND, FORBIDDEN (another role), INVALID_INPUT, CONFLICT (answered,
     *                         past its deadline, cancelled; also when the execution's flow version or
     *                         asking step is no longer registered: it failed, committed)
     */
    public ExecutionSnapshot answer(UUID requestId, Set<String> callerRoles, String subject, String answerJson) {
        try (WorkerPool.Reservation worker = reserveWorker()) {
            AgentWaits.Answered answered = waits.answer(requestId, callerRoles, subject, answerJson, worker.lease());
            if (answered.failedAs() != null) {
                throw new EngineException(EngineException.Problem.CONFLICT, "the execution cannot resume in this "
                        + "build of its flow and has failed (" + answered.failedAs() + "); the answer was not recorded");
            }
            worker.handOff(answered.execution(), answered.request());
            return ExecutionSnapshot.of(answered.execution());
        }
    }

    /**
     * Cancels an execution: pending waits end, queued steps are dropped, and a step running now
     * has its result discarded when it tries to commit.
     *
     * @param id              the execution
     * @param actor           who cancels
     * @param expectedVersion the version the caller last saw (If-Match), or null to skip the check
     * @param reason          why, recorded in the history, or null
     * @return the cancelled execution
     * @throws EngineException NOT_FOUND, STALE_VERSION, or CONFLICT when already finished
     */
    public ExecutionSnapshot cancel(UUID id, String actor, Long expectedVersion, String reason) {
        return AgentWaits.retrying(() -> parts.store().transaction(tx -> {
            FlowExecution e = tx.execution(id);
            if (e == null) {
                throw new EngineException(EngineException.Problem.NOT_FOUND, "no such execution");
            }
            if (expectedVersion != null && expectedVersion != e.version()) {
                throw stale(expectedVersion);
            }
            if (e.status().isTerminal()) {
                throw new EngineException(EngineException.Problem.CONFLICT, "the execution is already " + e.status());
            }
            Instant now = parts.clock().instant();
            ExecutionWrite w = new ExecutionWrite(e);
            w.append(EventType.CANCELLED, null, actor,
                    "cancelled in " + e.status() + (reason == null || reason.isBlank() ? "" : ": " + reason), now);
            Settle.end(parts, w, ExecutionStatus.CANCELLED, null, null, actor, now);
            if (!tx.commitIfUnchanged(w)) {
                if (expectedVersion != null) {
                    throw stale(expectedVersion);
                }
                throw new AgentWaits.MovedOn();
            }
            return ExecutionSnapshot.of(e);
        }));
    }

    /**
     * Runs one batch of a migration a newer version of a flow declares ({@link io.flowguard.flow.MigratesFrom}):
     * moves each unfinished execution of the old version it looks at to the new version (its steps
     * renamed, its state the declaration's function of the old one, validated), each in its own
     * transaction under optimistic locking, with one {@code MIGRATED} history event and one audit
     * line; or, as a dry run, writes nothing and says what would move. Who may run it is the
     * caller's job (the API: admins only).
     *
     * @param batch what to move, and whether only to look
     * @param actor who runs it, recorded in each history event
     * @return what moved (or would move), what cannot and why, how many remain, where to go on
     * @throws EngineException NOT_FOUND, INVALID_INPUT, UNKNOWN_FLOW (the target version is not
     *                         registered) or NO_MIGRATION; nothing is written then
     */
    public MigrationReport migrate(MigrationBatch batch, String actor) {
        return migrator.run(Objects.requireNonNull(batch), actor);
    }

    private static EngineException stale(long expectedVersion) {
        return new EngineException(EngineException.Problem.STALE_VERSION,
                "the execution changed since version " + expectedVersion);
    }

    /** @return the registered flows */
    public FlowRegistry flows() {
        return parts.registry();
    }

    /** @return the settings this engine runs with */
    public EngineSettings settings() {
        return parts.settings();
    }

    /** @return executions failed because their flow version is not registered, since this engine started */
    public long unknownFlows() {
        return parts.unknownFlows().get();
    }

    /**
     * @return unfinished executions per stored flow and version, registered or not, by flow and
     *         version: one grouped read of the database, shown again until it is 20 times as old as
     *         it took (0.25 s to 30 s by the engine's clock: a read is a scan of the executions, so
     *         callers who repeat it never keep the database busy with it more than 1/20 of the time)
     */
    public List<DeploymentReport.Unfinished> unfinished() {
        return unfinished.get();
    }

    // ---- the deployment check ------------------------------------------------------------------

    /**
     * Runs the deployment check now, unless it passed already ({@link DeploymentCheck}): the workers
     * ({@link #startWorkers()}, {@link #runDue()}) run it first themselves; an embedder or a test may
     * run it earlier. Passes when every unfinished execution can run on the registered flows;
     * otherwise refuses, or fails those executions first, as the builder's {@link Builder#onMissing}
     * says. Once passed, it stays passed.
     *
     * @throws DeploymentRefused naming every missing flow version and step with its count; nothing changed
     */
    public void checkDeployment() {
        deployment.pass();
    }

    /** @return what the last deployment check that refused found, while none has passed since */
    public Optional<DeploymentReport> deploymentRefusal() {
        return deployment.refusal();
    }

    // ---- the workers ---------------------------------------------------------------------------

    /** @return this engine's worker id: the lease owner name its workers write */
    public String instanceId() {
        return instanceId;
    }

    /**
     * Starts this engine's worker threads (none when {@link EngineSettings#workers()} is 0): a
     * claimer, the workers, heartbeats and the deadline sweeper. They claim only while the
     * builder's readiness check says the database is ready. The deployment check
     * ({@link #checkDeployment()}) runs first; when the database is not ready yet, it runs, and the
     * workers start, once it is.
     *
     * @throws DeploymentRefused when unfinished executions need what this build does not register
     *                           (and the builder's {@link Builder#onMissing} says to refuse)
     */
    public synchronized void startWorkers() {
        if (!deployment.passed() && !databaseReady.getAsBoolean()) {
            // the database is not there yet: the check runs once it is, the workers then start
            deployment.whenReady(databaseReady, parts.settings().pollInterval(), instanceId + "-deployment-check",
                    this::startPool);
            return;
        }
        deployment.pass();
        startPool();
    }

    private synchronized void startPool() {
        if (pool == null && !closed && parts.settings().workers() > 0) {
            WorkerPool p = new WorkerPool(instanceId, parts.clock(), parts.settings(), leases, runner, sweeper,
                    databaseReady);
            parts.metrics().workers(p::idleWorkers, p::waitingHandOffs, p::saturatedPolls);
            p.start();
            pool = p;
        }
    }

    /** @return this engine's worker pool, once started */
    public Optional<WorkerPool> workers() {
        return Optional.ofNullable(pool);
    }

    /**
     * Runs on the calling thread every execution due now by the engine's clock, and fires every
     * wait whose deadline has passed, until nothing more is due (a retry scheduled later, an
     * execution waiting for an answer, or nothing left). For an engine that runs no worker
     * threads: a batch job, a flow's test on a manual clock.
     *
     * @return how many executions were driven and waits fired
     * @throws IllegalStateException when executions keep being due after many rounds (a flow that never ends)
     * @throws DeploymentRefused     when the deployment check, run first, refuses ({@link #checkDeployment()})
     */
    public int runDue() {
        deployment.pass();
        StepRunner.Worker caller = new StepRunner.Worker() {
            @Override
            public String id() {
                return instanceId;
            }

            @Override
            public boolean stopped() {
                return false;
            }
        };
        int moved = 0;
        for (int round = 0; round < MAX_DRAIN_ROUNDS; round++) {
            int fired = sweeper.sweep(instanceId);
            Instant now = parts.clock().instant();
            List<UUID> claimed = leases.claim(instanceId, now, now.plus(parts.settings().leaseDuration()),
                    parts.settings().claimBatch());
            for (UUID id : claimed) {
                runner.drive(caller, id, null, null);
            }
            moved += fired + claimed.size();
            if (fired == 0 && claimed.isEmpty()) {
                return moved;
            }
        }
        throw new IllegalStateException("executions kept being due after " + MAX_DRAIN_ROUNDS + " rounds");
    }

    private WorkerPool.Reservation reserveWorker() {
        WorkerPool p = pool;
        return p != null ? p.reserve() : WorkerPool.Reservation.none();
    }

    /**
     * Stops gracefully: claims nothing more, lets running steps commit within the shutdown grace,
     * lets go of the leases still held, and closes the store if this engine opened it.
     */
    @Override
    public void close() {
        deployment.close(); // outside the lock: a check waiting for the database may be about to start the pool
        synchronized (this) {
            closed = true;
            WorkerPool p = pool;
            if (p != null) {
                p.stop(parts.settings().shutdownGrace());
            }
            if (ownsStore) {
                parts.store().close();
            }
        }
    }

    private static String defaultId() {
        String host = ManagementFactory.getRuntimeMXBean().getName();
        return host.replaceAll("[^A-Za-z0-9@._-]", "") + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Builds an {@link Engine}; only a data source (or a store) and at least one flow are required. */
    public static final class Builder {

        private DataSource dataSource;
        private DatabaseVendor vendor;
        private Store store;
        private final List<Object[]> flows = new ArrayList<>();
        private FlowRegistry registry;
        private AgentRoles roles = AgentRoles.of(AgentRoles.DEFAULT);
        private EngineSettings settings = EngineSettings.defaults();
        private Clock clock = Clock.systemUTC();
        private MeterRegistry meters;
        private String instanceId;
        private Function<Collection<FlowDefinition>, ServiceCaller> services = flows -> ServiceCaller.NONE;
        private DriveObserver drives = DriveObserver.NONE;
        private CommitListener listener = CommitListener.NONE;
        private BooleanSupplier databaseReady = () -> true;
        private OnMissing onMissing = OnMissing.REFUSE;
        private DeploymentCheck.Log deploymentLog = DeploymentCheck.Log.PLAIN;

        private Builder() {
        }

        /**
         * @param dataSource a connection pool on a database migrated by Flyway ({@code db/migration})
         * @return this builder
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource);
            return this;
        }

        /**
         * @param vendor which database the data source is (read from the connection when not given)
         * @return this builder
         */
        public Builder vendor(DatabaseVendor vendor) {
            this.vendor = vendor;
            return this;
        }

        /**
         * Shares a store another engine of this process opened (a second instance in one JVM);
         * instead of {@link #dataSource}.
         *
         * @param store an open store, closed by whoever opened it
         * @return this builder
         */
        public Builder store(Store store) {
            this.store = Objects.requireNonNull(store);
            return this;
        }

        /**
         * Registers a flow class annotated {@link Flow}, made with its no-argument constructor.
         * Only flows given here ever run.
         *
         * @param type the flow class
         * @return this builder
         */
        public Builder flow(Class<?> type) {
            this.flows.add(new Object[] {Objects.requireNonNull(type), instantiate(type)});
            return this;
        }

        /**
         * Registers a flow: its class annotated {@link Flow}, and the instance whose step methods
         * run (it may be a container's proxy of that class).
         *
         * @param type     the flow class
         * @param instance the object its steps are called on
         * @param <T>      the flow class
         * @return this builder
         */
        public <T> Builder flow(Class<T> type, T instance) {
            this.flows.add(new Object[] {Objects.requireNonNull(type), Objects.requireNonNull(instance)});
            return this;
        }

        /**
         * Uses flows already registered (shared by the engines of one process), instead of {@link #flow}.
         *
         * @param registry the registered flows
         * @return this builder
         */
        public Builder registry(FlowRegistry registry) {
            this.registry = Objects.requireNonNull(registry);
            return this;
        }

        /**
         * @param roles the closed set of agent roles flows may ask (default {@value AgentRoles#DEFAULT})
         * @return this builder
         */
        public Builder agentRoles(AgentRoles roles) {
            this.roles = Objects.requireNonNull(roles);
            return this;
        }

        /**
         * @param settings limits and timings (default {@link EngineSettings#defaults()})
         * @return this builder
         */
        public Builder settings(EngineSettings settings) {
            this.settings = Objects.requireNonNull(settings);
            return this;
        }

        /**
         * @param clock the time leases, heartbeats, deadlines and retry backoffs are measured by
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * @param meters where the engine's meters go (default: a registry of its own)
         * @return this builder
         */
        public Builder meters(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters);
            return this;
        }

        /**
         * @param instanceId this engine's worker id, unique among every instance on the database
         *                   (default: the process name and a random suffix)
         * @return this builder
         */
        public Builder instanceId(String instanceId) {
            this.instanceId = Objects.requireNonNull(instanceId);
            return this;
        }

        /**
         * @param services makes the outbound caller for the registered flows (default: none configured)
         * @return this builder
         */
        public Builder services(Function<Collection<FlowDefinition>, ServiceCaller> services) {
            this.services = Objects.requireNonNull(services);
            return this;
        }

        /**
         * @param drives told when a worker thread starts driving an execution
         * @return this builder
         */
        public Builder drives(DriveObserver drives) {
            this.drives = Objects.requireNonNull(drives);
            return this;
        }

        /**
         * @param listener told of committed changes (what waiting readers wait for)
         * @return this builder
         */
        public Builder onCommit(CommitListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * @param databaseReady whether workers may claim now (the service's schema gate)
         * @return this builder
         */
        public Builder databaseReady(BooleanSupplier databaseReady) {
            this.databaseReady = Objects.requireNonNull(databaseReady);
            return this;
        }

        /**
         * @param choice what to do when, before the workers start, unfinished executions need a flow
         *               version or step this build does not register (default {@link OnMissing#REFUSE})
         * @return this builder
         */
        public Builder onMissing(OnMissing choice) {
            this.onMissing = Objects.requireNonNull(choice);
            return this;
        }

        /**
         * @param log told what each deployment check found and did (default: plain lines of
         *            {@link DeploymentCheck}'s logger)
         * @return this builder
         */
        public Builder deploymentLog(DeploymentCheck.Log log) {
            this.deploymentLog = Objects.requireNonNull(log);
            return this;
        }

        /**
         * @return the engine, its workers not started ({@link Engine#startWorkers()})
         * @throws io.flowguard.engine.graph.FlowDefinitionException when a flow is not valid
         */
        public Engine build() {
            if (meters == null) {
                meters = new SimpleMeterRegistry();
            }
            FlowRegistry flowsToRun = registry != null ? registry : new FlowRegistry(definitions(), roles);
            Store opened = store;
            if (opened == null) {
                if (dataSource == null) {
                    throw new IllegalStateException("an engine needs a data source");
                }
                opened = Store.open(dataSource, vendor != null ? vendor : DatabaseVendor.of(dataSource), listener);
            }
            return new Engine(this, opened, flowsToRun);
        }

        private List<FlowDefinition> definitions() {
            List<FlowDefinition> definitions = new ArrayList<>();
            for (Object[] flow : flows) {
                definitions.add(FlowGraphBuilder.build((Class<?>) flow[0], flow[1], roles));
            }
            return definitions;
        }

        private static Object instantiate(Class<?> type) {
            try {
                return type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("flow class " + type.getName()
                        + " needs a public no-argument constructor, or pass an instance", e);
            }
        }
    }
}
