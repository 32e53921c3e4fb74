package io.flowguard.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.flowguard.engine.EventSnapshot;
import io.flowguard.engine.ExecutionSnapshot;
import io.flowguard.store.EventType;
import io.flowguard.store.ExecutionStatus;

/**
 * One execution in a {@link FlowTestKit}. Every read goes to the database, so it tells where the
 * execution stands now, after whatever the kit ran since; {@code assert...} methods throw an
 * {@link AssertionError} describing the execution (status, steps, routes, open asks, error) and
 * return this run, so checks chain.
 */
public final class FlowRun {

    private static final int PAGE = 1000;

    private final FlowTestKit kit;
    private final UUID id;

    FlowRun(FlowTestKit kit, UUID id) {
        this.kit = kit;
        this.id = id;
    }

    /** @return the execution's id */
    public UUID id() {
        return id;
    }

    /**
     * @return the execution as committed now
     * @throws AssertionError when it no longer exists
     */
    public ExecutionSnapshot execution() {
        return kit.engine().get(id).orElseThrow(() -> new AssertionError("execution " + id + " does not exist"));
    }

    /** @return where it stands */
    public ExecutionStatus status() {
        return execution().status();
    }

    /** @return its state, as the engine stored it (JSON) */
    public String stateJson() {
        return execution().state();
    }

    /**
     * @param type the flow's state type
     * @param <T>  that type
     * @return a copy of its state, read as the engine reads it
     */
    public <T> T state(Class<T> type) {
        return FlowTestKit.strictJson().readStored(stateJson(), type, "the state of execution " + id);
    }

    /** @return why it failed, a stable type ({@code unknown_flow}, {@code step_failed}...), or null */
    public String errorType() {
        return execution().errorType();
    }

    /** @return the recorded failure, or null */
    public String error() {
        return execution().error();
    }

    /** @return when it is due to run again (a retry's backoff), if it is scheduled */
    public Optional<Instant> nextRunAt() {
        return Optional.ofNullable(execution().nextRunAt());
    }

    /** @return its whole history, oldest first */
    public List<EventSnapshot> history() {
        List<EventSnapshot> all = new ArrayList<>();
        List<EventSnapshot> page;
        do {
            page = kit.engine().history(id, all.isEmpty() ? 0 : all.get(all.size() - 1).seq(), PAGE);
            all.addAll(page);
        } while (page.size() == PAGE);
        return all;
    }

    /** @return the steps that ran to completion, in the order they committed (a step run twice appears twice) */
    public List<String> stepsRun() {
        return history().stream().filter(v -> v.type().equals(EventType.STEP_COMPLETED.name()))
                .map(EventSnapshot::step).toList();
    }

    /** @return the labels its routers chose, in order */
    public List<String> routes() {
        return history().stream().filter(v -> v.type().equals(EventType.ROUTED.name()))
                .map(EventSnapshot::detail).toList();
    }

    /** @return its asks still waiting for an answer */
    public List<OpenAsk> openAsks() {
        return kit.engine().inbox(kit.engine().flows().roles().all(), id, 500).stream()
                .map(r -> new OpenAsk(kit, r)).toList();
    }

    /**
     * @param role an agent role
     * @return its one open ask to that role
     * @throws AssertionError when it has none, or more than one, to that role
     */
    public OpenAsk openAsk(String role) {
        List<OpenAsk> toRole = openAsks().stream().filter(a -> a.role().equals(role)).toList();
        if (toRole.size() != 1) {
            throw new AssertionError("expected one open ask to role " + role + ", found " + toRole.size()
                    + "; " + this);
        }
        return toRole.get(0);
    }

    /**
     * Moves the kit's clock to when this execution is due (a retry whose backoff is running) and
     * runs what is due then.
     *
     * @return this run
     * @throws AssertionError when it is not scheduled for later
     */
    public FlowRun advanceToNextRun() {
        ExecutionSnapshot now = execution();
        if (now.nextRunAt() == null || !now.nextRunAt().isAfter(kit.now())) {
            throw new AssertionError("execution " + id + " is not scheduled to run later; " + this);
        }
        kit.advanceTo(now.nextRunAt());
        return this;
    }

    /**
     * @param actor  who cancels
     * @param reason why, or null
     * @return this run, cancelled
     */
    public FlowRun cancel(String actor, String reason) {
        kit.engine().cancel(id, actor, null, reason);
        kit.runDue();
        return this;
    }

    // ---- assertions ------------------------------------------------------------------------------

    /**
     * @param expected the status it must be in now
     * @return this run
     * @throws AssertionError when it is in another
     */
    public FlowRun assertStatus(ExecutionStatus expected) {
        ExecutionSnapshot now = execution();
        if (now.status() != expected) {
            throw new AssertionError("expected " + expected + " but " + describe(now));
        }
        return this;
    }

    /**
     * @param errorType the stable type it must have failed with ({@code unknown_flow}, {@code step_failed}...)
     * @return this run
     * @throws AssertionError when it is not FAILED, or failed otherwise
     */
    public FlowRun assertFailedWith(String errorType) {
        ExecutionSnapshot now = execution();
        if (now.status() != ExecutionStatus.FAILED || !errorType.equals(now.errorType())) {
            throw new AssertionError("expected FAILED with " + errorType + " but " + describe(now));
        }
        return this;
    }

    /**
     * @param steps the steps that must have run to completion, exactly these, in this order
     * @return this run
     * @throws AssertionError when others ran, or in another order
     */
    public FlowRun assertStepsRun(String... steps) {
        List<String> ran = stepsRun();
        if (!ran.equals(Arrays.asList(steps))) {
            throw new AssertionError("expected steps " + Arrays.toString(steps) + " to have run, in order, but "
                    + describe(execution()));
        }
        return this;
    }

    /**
     * @param labels the labels its routers must have chosen, exactly these, in this order
     * @return this run
     * @throws AssertionError when they chose others
     */
    public FlowRun assertRoutes(String... labels) {
        if (!routes().equals(Arrays.asList(labels))) {
            throw new AssertionError("expected routes " + Arrays.toString(labels) + " but " + describe(execution()));
        }
        return this;
    }

    /** @return where the execution stands: status, steps run, routes, open asks, error */
    @Override
    public String toString() {
        return kit.engine().get(id).map(this::describe).orElse("execution " + id + " does not exist");
    }

    private String describe(ExecutionSnapshot e) {
        StringBuilder s = new StringBuilder("execution ").append(id).append(" of ").append(e.flow())
                .append(" v").append(e.flowVersion()).append(" is ").append(e.status());
        if (e.errorType() != null) {
            s.append(" (").append(e.errorType()).append(": ").append(e.error()).append(')');
        }
        List<EventSnapshot> history = history();
        s.append("; steps run ").append(history.stream().filter(v -> v.type().equals(EventType.STEP_COMPLETED.name()))
                .map(EventSnapshot::step).toList());
        s.append("; routes ").append(history.stream().filter(v -> v.type().equals(EventType.ROUTED.name()))
                .map(EventSnapshot::detail).toList());
        history.stream().filter(v -> v.type().equals(EventType.RETRY_SCHEDULED.name())
                        || v.type().equals(EventType.STEP_FAILED.name()))
                .reduce((first, second) -> second)
                .ifPresent(v -> s.append("; last step failure (").append(v.step()).append(") ").append(v.detail()));
        List<OpenAsk> asks = openAsks();
        if (!asks.isEmpty()) {
            s.append("; open asks ").append(asks);
        }
        if (e.nextRunAt() != null && e.nextRunAt().isAfter(kit.now())) {
            s.append("; due again at ").append(e.nextRunAt()).append(" (now ").append(kit.now()).append(')');
        }
        return s.toString();
    }
}
