package io.flowguard.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.flowguard.engine.DeploymentRefused;
import io.flowguard.engine.Engine;
import io.flowguard.engine.EngineSettings;
import io.flowguard.engine.MigrationBatch;
import io.flowguard.engine.MigrationReport;
import io.flowguard.engine.OnMissing;
import io.flowguard.engine.ServiceCaller;
import io.flowguard.engine.graph.AgentRoles;
import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.json.StrictJson;
import io.flowguard.store.CommitListener;
import io.flowguard.store.InMemoryDatabase;

/**
 * Runs flows in a test the way the service runs them, without the service: the embeddable
 * {@link Engine} on a private H2 database in memory (migrated like the product's), a
 * {@link ManualClock}, no worker threads, and stubs for the outbound services. Every action
 * (start, answer, moving time) then runs on the calling thread whatever has become due, so what
 * a test reads afterwards is where the flow stands, settled:
 *
 * <pre>{@code
 * try (FlowTestKit kit = FlowTestKit.of(FeatureApprovalFlow.class)) {
 *     FlowRun run = kit.start(new FeatureInput("dark mode", null, 2_000_000, 3));
 *     run.assertStatus(ExecutionStatus.WAITING_AGENT).assertRoutes("ceo_approval");
 *     run.openAsk("ceo").answerAs("carol", new Approval(true, "go"));
 *     run.assertStatus(ExecutionStatus.COMPLETED).assertStepsRun("analyze", "route", "askCeo", "recordDecision");
 * }
 * }</pre>
 *
 * <p>Nothing here needs a test framework: reads return values, {@code assert...} methods throw
 * {@link AssertionError} with a description of the execution, and the engine's refusals (a wrong
 * role, an invalid answer or input) are its own {@link io.flowguard.engine.EngineException}.
 * A kit is for one thread's test; answers may come from several threads.
 */
public final class FlowTestKit implements AutoCloseable {

    /** The owner of executions a test starts without naming one. */
    public static final String OWNER = "test-owner";
    /** Where a kit's clock starts unless told otherwise. */
    public static final Instant START = Instant.parse("2030-01-01T09:00:00Z");
    /** The worker id the kit's engine writes as lease owner and step actor. */
    public static final String INSTANCE = "test-kit";
    /** Who runs the migrations a test runs ({@link #migrate}), as recorded in the executions' history. */
    public static final String ADMIN = "test-admin";

    private static final StrictJson JSON = new StrictJson();

    private final InMemoryDatabase database;
    private final Instant start;
    private final AgentRoles roles;
    private final EngineSettings settings;
    private final List<Registration> flows;
    private final StubbedServices services;
    private final Function<Collection<FlowDefinition>, ServiceCaller> realServices;
    private final OnMissing onMissing;
    private volatile ManualClock clock;
    private volatile Engine engine;
    private volatile Engine rollingOut;

    private FlowTestKit(Builder b) {
        this.start = b.start;
        this.clock = new ManualClock(b.start);
        this.roles = b.roles;
        this.settings = b.settings.withWorkers(0);
        this.flows = List.copyOf(b.flows);
        this.services = new StubbedServices(b.stubs);
        this.realServices = b.realServices;
        this.onMissing = b.onMissing;
        this.database = InMemoryDatabase.open(CommitListener.NONE);
        try {
            this.engine = build(flows);
            for (String service : b.stubs.keySet()) {
                requireDeclared(service);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * @param flows the flow classes to register (each annotated {@code @Flow}, with a no-argument constructor)
     * @return a kit with the defaults: the product's default agent roles, settings and no stubs
     */
    public static FlowTestKit of(Class<?>... flows) {
        Builder b = builder();
        for (Class<?> flow : flows) {
            b.flow(flow);
        }
        return b.build();
    }

    /** @return a builder of a kit */
    public static Builder builder() {
        return new Builder();
    }

    /** A flow class to register, and the instance its steps run on (null: made with its no-argument constructor). */
    private record Registration(Class<?> type, Object instance) {
    }

    private Engine build(List<Registration> flows) {
        if (flows.isEmpty()) {
            throw new IllegalArgumentException("a test kit needs at least one flow");
        }
        Engine.Builder b = Engine.builder().store(database.store()).clock(clock).instanceId(INSTANCE)
                .settings(settings).agentRoles(roles).onMissing(onMissing)
                .services(defs -> services.caller(realServices == null ? null : realServices.apply(defs)));
        for (Registration flow : flows) {
            register(b, flow);
        }
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static <T> void register(Engine.Builder b, Registration flow) {
        if (flow.instance() == null) {
            b.flow(flow.type());
        } else {
            b.flow((Class<T>) flow.type(), (T) flow.instance());
        }
    }

    /** A stub for a service no flow declares is a typo in the test: say so rather than never call it. */
    private void requireDeclared(String service) {
        Set<String> declared = engine.flows().flows().stream().flatMap(f -> f.services().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        if (!declared.contains(service)) {
            throw new IllegalArgumentException("no registered flow declares service '" + service
                    + "' (declared: " + declared + ")");
        }
    }

    // ---- starting --------------------------------------------------------------------------------

    /**
     * Starts the kit's only flow as {@link #OWNER} and runs what is due.
     *
     * @param input the flow's input record (or a {@code String} of its JSON)
     * @return the run
     * @throws IllegalStateException when the kit registers more than one flow (name it then)
     * @throws io.flowguard.engine.EngineException INVALID_INPUT and the rest, as the engine refuses a start
     */
    public FlowRun start(Object input) {
        Set<String> names = engine.flows().flows().stream().map(FlowDefinition::name)
                .collect(Collectors.toCollection(TreeSet::new));
        if (names.size() != 1) {
            throw new IllegalStateException("this kit registers " + names + ": name the flow to start");
        }
        return startAs(OWNER, names.iterator().next(), input);
    }

    /**
     * @param flow  the flow's name (its newest registered version starts)
     * @param input the flow's input record (or a {@code String} of its JSON)
     * @return the run, after what was due ran
     */
    public FlowRun start(String flow, Object input) {
        return startAs(OWNER, flow, input);
    }

    /**
     * @param owner the subject starting it (its executions count against its quota)
     * @param flow  the flow's name
     * @param input the flow's input record (or a {@code String} of its JSON)
     * @return the run, after what was due ran
     */
    public FlowRun startAs(String owner, String flow, Object input) {
        UUID id = engine.start(flow, json(input), owner, null).execution().id();
        runDue();
        return run(id);
    }

    /**
     * @param id an execution's id
     * @return a handle on it (reads go to the database each time)
     */
    public FlowRun run(UUID id) {
        return new FlowRun(this, Objects.requireNonNull(id));
    }

    /**
     * @param role an agent role
     * @return the open asks to that role, of every execution, by deadline
     */
    public List<OpenAsk> openAsks(String role) {
        return engine.inbox(Set.of(role), null, 500).stream().map(r -> new OpenAsk(this, r)).toList();
    }

    // ---- time ------------------------------------------------------------------------------------

    /**
     * Runs on this thread every execution due now, and fires every wait whose deadline has passed,
     * until nothing more is due. Every action of the kit does this already.
     *
     * @return how many executions were driven and waits fired
     */
    public int runDue() {
        return engine.runDue();
    }

    /**
     * Moves time forward and runs what has become due: deadlines that passed fire, retries whose
     * backoff ended run.
     *
     * @param by how far
     * @return this kit
     */
    public FlowTestKit advance(Duration by) {
        clock.advance(by);
        runDue();
        return this;
    }

    /**
     * @param instant where time stands afterwards (a past instant moves nothing)
     * @return this kit, after what became due ran
     */
    public FlowTestKit advanceTo(Instant instant) {
        clock.advanceTo(instant);
        runDue();
        return this;
    }

    /** @return the time by the kit's clock */
    public Instant now() {
        return clock.instant();
    }

    /** @return the kit's clock, for code of the test's own that must share its time */
    public ManualClock clock() {
        return clock;
    }

    // ---- outbound services -----------------------------------------------------------------------

    /**
     * Answers a service's calls with this stub from now on (until {@link #reset()}, which goes back
     * to the builder's stubs).
     *
     * @param service a service a registered flow declares
     * @param stub    what answers its calls
     * @return this kit
     * @throws IllegalArgumentException when no registered flow declares the service
     */
    public FlowTestKit stub(String service, ServiceStub stub) {
        requireDeclared(Objects.requireNonNull(service));
        services.stub(service, Objects.requireNonNull(stub));
        return this;
    }

    /** @return every call steps made to outbound services, in order */
    public List<OutboundCall> calls() {
        return services.calls();
    }

    /**
     * @param service a service's name
     * @return the calls steps made to it, in order
     */
    public List<OutboundCall> calls(String service) {
        return services.calls().stream().filter(c -> c.service().equals(service)).toList();
    }

    // ---- deploying -------------------------------------------------------------------------------

    /**
     * Deploys another build: the engine stops, and one with these flows instead starts on the same
     * database, clock and stubs, as when a new version of the service replaces the old one while
     * executions wait. The new build runs its deployment check first: when unfinished executions
     * need a flow version or step it does not register, it refuses to start (the kit's
     * {@link Builder#onMissing} choice by default), or fails them. What was due then runs on the new build.
     *
     * @param flows the flow classes the new build registers
     * @return this kit
     * @throws DeploymentRefused naming each missing flow version and step with its count; nothing
     *                           changed, and the kit's reads still work ({@link #reset()} starts over)
     */
    public FlowTestKit redeploy(Class<?>... flows) {
        return deploy(registrations(flows));
    }

    /**
     * A rolling deploy, first half: the new build starts beside the running one and runs its
     * deployment check against what the database holds now, while the running build goes on
     * taking the kit's actions (starts, answers, time) until {@link #finishRollout()}, as the old
     * instances of a rolling deploy serve until they are replaced. What the old build starts or
     * parks meanwhile, the new build meets at run time (on claim, answer or deadline), not in its check.
     *
     * @param flows the flow classes the new build registers
     * @return this kit
     * @throws DeploymentRefused when the new build's check refuses (the running build goes on alone)
     * @throws IllegalStateException when a rollout is under way already
     */
    public FlowTestKit startRollout(Class<?>... flows) {
        if (rollingOut != null) {
            throw new IllegalStateException("a rollout is under way: finish it first");
        }
        Engine next = build(registrations(flows));
        try {
            next.checkDeployment();
        } catch (RuntimeException e) {
            next.close();
            throw e;
        }
        rollingOut = next;
        return this;
    }

    /**
     * A rolling deploy, second half: the old build stops and the new one, started by
     * {@link #startRollout}, takes over; what is due runs on it.
     *
     * @return this kit
     * @throws IllegalStateException when no rollout is under way
     */
    public FlowTestKit finishRollout() {
        Engine next = rollingOut;
        if (next == null) {
            throw new IllegalStateException("no rollout is under way: startRollout first");
        }
        engine.close();
        engine = next;
        rollingOut = null;
        runDue();
        return this;
    }

    private static List<Registration> registrations(Class<?>... flows) {
        List<Registration> next = new ArrayList<>();
        for (Class<?> flow : flows) {
            next.add(new Registration(Objects.requireNonNull(flow), null));
        }
        return next;
    }

    // ---- migrating -------------------------------------------------------------------------------

    /**
     * Says what a migration would do, writing nothing, as the admin endpoint's dry run does: for
     * every unfinished execution of version {@code from}, whether the migration version
     * {@code to} declares ({@code @MigratesFrom}) would move it, and if not why. Register both
     * versions with {@link #redeploy} (the new one alone refuses to start over executions of the
     * old one, unless the kit was built with {@link Builder#onMissing} {@code FAIL_EXECUTIONS}).
     *
     * @param flow the flow's name
     * @param from the version its executions are on
     * @param to   the registered version declaring the migration
     * @return what would move and what could not, over every execution of {@code from}
     * @throws io.flowguard.engine.EngineException as the endpoint refuses (no such flow, version or migration)
     */
    public MigrationReport dryRunMigration(String flow, int from, int to) {
        return everyBatch(flow, from, to, true);
    }

    /**
     * Runs a migration as the admin endpoint does (as {@link #ADMIN}), in batches until every
     * unfinished execution of version {@code from} was looked at, then runs what became due: a
     * moved execution goes on on version {@code to} (answer its moved ask, let its backoff pass).
     *
     * @param flow the flow's name
     * @param from the version its executions are on
     * @param to   the registered version declaring the migration
     * @return what moved and what could not, and why
     * @throws io.flowguard.engine.EngineException as the endpoint refuses (no such flow, version or migration)
     */
    public MigrationReport migrate(String flow, int from, int to) {
        MigrationReport report = everyBatch(flow, from, to, false);
        runDue();
        return report;
    }

    private MigrationReport everyBatch(String flow, int from, int to, boolean dryRun) {
        List<UUID> moved = new ArrayList<>();
        List<MigrationReport.Unmoved> cannot = new ArrayList<>();
        UUID after = null;
        MigrationReport batch;
        do {
            batch = engine.migrate(new MigrationBatch(flow, from, to, MigrationBatch.MAX_LIMIT, after, dryRun), ADMIN);
            moved.addAll(batch.moved());
            cannot.addAll(batch.cannot());
            after = batch.next();
        } while (after != null);
        long remaining = dryRun ? Math.max(0, batch.remaining() + batch.moved().size() - moved.size()) : batch.remaining();
        return new MigrationReport(batch.flow(), from, to, dryRun, moved, cannot, remaining, null);
    }

    /**
     * As {@link #redeploy}, for flows whose steps run on instances the test made (a flow with
     * constructor parameters, as CDI would inject them): each is registered as its own class.
     *
     * @param flows the flow instances the new build registers (each of a class annotated {@code @Flow})
     * @return this kit
     */
    public FlowTestKit redeployWith(Object... flows) {
        List<Registration> next = new ArrayList<>();
        for (Object flow : flows) {
            next.add(new Registration(Objects.requireNonNull(flow).getClass(), flow));
        }
        return deploy(next);
    }

    private FlowTestKit deploy(List<Registration> flows) {
        Engine old = engine;
        old.close();
        engine = build(flows);
        runDue();
        return this;
    }

    /** @return the engine running the flows now (the facade the service's API calls) */
    public Engine engine() {
        return engine;
    }

    /**
     * Makes this kit as good as new for the next test, in a few milliseconds rather than the few
     * hundred a new kit takes (a database to migrate, a persistence unit to boot): every row is
     * deleted, the clock is back at its start (a new {@link ManualClock}), the builder's flows are
     * deployed again and its stubs are back, with no call recorded. A stub keeps whatever state
     * it holds itself.
     *
     * @return this kit
     */
    public FlowTestKit reset() {
        closeRollout();
        engine.close();
        database.clear();
        services.reset();
        clock = new ManualClock(start);
        engine = build(flows);
        return this;
    }

    /** Stops the engine and drops the database. */
    @Override
    public void close() {
        closeRollout();
        Engine e = engine;
        if (e != null) {
            e.close();
        }
        database.close();
    }

    private void closeRollout() {
        Engine next = rollingOut;
        rollingOut = null;
        if (next != null) {
            next.close();
        }
    }

    static String json(Object value) {
        return value instanceof String text ? text : JSON.write(value);
    }

    static StrictJson strictJson() {
        return JSON;
    }

    /** Builds a {@link FlowTestKit}; only a flow is required. */
    public static final class Builder {

        private final List<Registration> flows = new ArrayList<>();
        private final Map<String, ServiceStub> stubs = new LinkedHashMap<>();
        private AgentRoles roles = AgentRoles.of(AgentRoles.DEFAULT);
        private EngineSettings settings = EngineSettings.defaults();
        private Instant start = START;
        private Function<Collection<FlowDefinition>, ServiceCaller> realServices;
        private OnMissing onMissing = OnMissing.REFUSE;

        private Builder() {
        }

        /**
         * @param choice what a {@link FlowTestKit#redeploy redeployed} build does when unfinished
         *               executions need a flow version or step it does not register, as
         *               {@code flowguard.flows.on-missing} says for the service (default
         *               {@link OnMissing#REFUSE}: the redeploy throws {@link DeploymentRefused})
         * @return this builder
         */
        public Builder onMissing(OnMissing choice) {
            this.onMissing = Objects.requireNonNull(choice);
            return this;
        }

        /**
         * @param type a flow class annotated {@code @Flow}, made with its no-argument constructor
         * @return this builder
         */
        public Builder flow(Class<?> type) {
            flows.add(new Registration(Objects.requireNonNull(type), null));
            return this;
        }

        /**
         * @param type     a flow class annotated {@code @Flow}
         * @param instance the object its steps run on (one the test made, with what it needs)
         * @param <T>      the flow class
         * @return this builder
         */
        public <T> Builder flow(Class<T> type, T instance) {
            flows.add(new Registration(Objects.requireNonNull(type), Objects.requireNonNull(instance)));
            return this;
        }

        /**
         * @param roles the closed set of agent roles, as {@code flowguard.agents} will configure it
         *              (default: the product's default set)
         * @return this builder
         */
        public Builder agentRoles(String... roles) {
            this.roles = AgentRoles.of(String.join(",", roles));
            return this;
        }

        /**
         * @param settings the engine's limits and timings (default {@link EngineSettings#defaults()});
         *                 the kit runs no worker threads whatever they say
         * @return this builder
         */
        public Builder settings(EngineSettings settings) {
            this.settings = Objects.requireNonNull(settings);
            return this;
        }

        /**
         * @param defaultWait the wait when a flow asks without one ({@code flowguard.agent-wait.default})
         * @param maxWait     the cap on any wait ({@code flowguard.agent-wait.max})
         * @return this builder
         */
        public Builder agentWaits(Duration defaultWait, Duration maxWait) {
            this.settings = settings.withAgentWaits(defaultWait, maxWait);
            return this;
        }

        /**
         * @param count the cap on one owner's unfinished executions ({@code flowguard.quota.max-active-executions})
         * @return this builder
         */
        public Builder maxActivePerOwner(int count) {
            this.settings = settings.withMaxActivePerOwner(count);
            return this;
        }

        /**
         * @param instant where the kit's clock starts (default {@link FlowTestKit#START})
         * @return this builder
         */
        public Builder startingAt(Instant instant) {
            this.start = Objects.requireNonNull(instant);
            return this;
        }

        /**
         * @param service a service a registered flow declares ({@code @Flow(services = ...)})
         * @param stub    what answers its calls, for as long as the kit lives
         * @return this builder
         */
        public Builder stub(String service, ServiceStub stub) {
            stubs.put(Objects.requireNonNull(service), Objects.requireNonNull(stub));
            return this;
        }

        /**
         * Sends calls to services without a stub to real ones, e.g. the product's own
         * {@code new ServiceDirectory(flows, config)} on a server the test runs.
         *
         * @param services makes the caller for the registered flows
         * @return this builder
         */
        public Builder realServices(Function<Collection<FlowDefinition>, ServiceCaller> services) {
            this.realServices = Objects.requireNonNull(services);
            return this;
        }

        /**
         * @return the kit, its database created and migrated, its flows registered and validated
         * @throws io.flowguard.engine.graph.FlowDefinitionException when a flow is not valid (as at startup)
         * @throws IllegalArgumentException when a stub names a service no flow declares
         */
        public FlowTestKit build() {
            return new FlowTestKit(this);
        }
    }
}
