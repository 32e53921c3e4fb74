package io.flowguard.engine.graph;

import io.flowguard.flow.Flow;
import io.flowguard.flow.Join;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated, immutable flow graph: the only form in which a flow can run. Built once at startup
 * by {@link FlowGraphBuilder}; looked up by name and version in the {@link FlowRegistry}.
 *
 * <p>Semantics: start steps run first; when a step finishes its name fires as a trigger, when a
 * router picks a label the label fires, and when an agent wait expires {@code step.timeout}
 * fires. A listener runs once its trigger fires ({@link Join#ANY}) or all of them have
 * ({@link Join#ALL}). Each step runs at most once per execution; the execution completes when
 * nothing is queued and nothing waits.
 */
public final class FlowDefinition {

    /** The suffix of the trigger an expired agent wait fires. */
    public static final String TIMEOUT_SUFFIX = ".timeout";

    private final String name;
    private final int version;
    private final Class<?> stateType;
    private final InitialState initialState;
    private final Map<String, StepDefinition> steps;
    private final List<String> startSteps;
    private final Map<String, List<String>> activatedBy;
    private final Set<String> services;
    private final Map<Integer, MigrationDefinition> migrations;

    FlowDefinition(String name, int version, Class<?> stateType, InitialState initialState,
                   Map<String, StepDefinition> steps, List<String> startSteps, Map<String, List<String>> activatedBy,
                   Set<String> services, Map<Integer, MigrationDefinition> migrations) {
        this.name = name;
        this.version = version;
        this.stateType = stateType;
        this.initialState = initialState;
        this.steps = Collections.unmodifiableMap(steps);
        this.startSteps = List.copyOf(startSteps);
        this.activatedBy = Map.copyOf(activatedBy);
        this.services = Set.copyOf(services);
        this.migrations = Map.copyOf(migrations);
    }

    /** @return the migrations this version declares ({@link io.flowguard.flow.MigratesFrom}), by the version they move from */
    public Map<Integer, MigrationDefinition> migrations() {
        return migrations;
    }

    /**
     * @param fromVersion an older version of this flow
     * @return how its executions move to this version, when this version declares it
     */
    public Optional<MigrationDefinition> migrationFrom(int fromVersion) {
        return Optional.ofNullable(migrations.get(fromVersion));
    }

    /** @return the outbound services its steps may call, as declared by {@link Flow#services()} */
    public Set<String> services() {
        return services;
    }

    public String name() {
        return name;
    }

    public int version() {
        return version;
    }

    /** @return the state type JSON is read into; never a type named by stored data */
    public Class<?> stateType() {
        return stateType;
    }

    /** @return the only type a caller's input is read into (what {@link Flow#input()} names) */
    public Class<? extends Record> inputType() {
        return initialState.inputType();
    }

    /**
     * @param input a caller's input, read and validated as {@link #inputType()}
     * @return the execution's first state, built as the flow declares
     */
    public Object initialState(Object input) {
        return initialState.from(input);
    }

    /** @return every step, by name */
    public Map<String, StepDefinition> steps() {
        return steps;
    }

    /** @return the steps that run when an execution starts */
    public List<String> startSteps() {
        return startSteps;
    }

    /**
     * @param stepName a step name read from the database
     * @return the step, when this flow has one by that name
     */
    public Optional<StepDefinition> step(String stepName) {
        return Optional.ofNullable(steps.get(stepName));
    }

    /**
     * @param askingStep a step that asked an agent
     * @return true when a listener handles its timeout
     */
    public boolean hasTimeoutPath(String askingStep) {
        return activatedBy.containsKey(askingStep + TIMEOUT_SUFFIX);
    }

    /** @return every trigger with the steps that listen to it (routers included) */
    public Map<String, List<String>> edges() {
        return activatedBy;
    }

    /**
     * The steps that become runnable when {@code trigger} fires.
     *
     * @param trigger   the step name, label or timeout that just fired
     * @param fired     every trigger fired so far, including this one
     * @param activated every step already queued or run in this execution
     * @return the steps to queue, in the order their triggers were declared
     */
    public List<String> activate(String trigger, Set<String> fired, Set<String> activated) {
        List<String> next = new ArrayList<>();
        for (String candidate : activatedBy.getOrDefault(trigger, List.of())) {
            StepDefinition step = steps.get(candidate);
            if (activated.contains(candidate) || next.contains(candidate)) {
                continue;
            }
            if (step.kind() == StepDefinition.Kind.LISTEN && step.join() == Join.ALL
                    && !fired.containsAll(step.triggers())) {
                continue;
            }
            next.add(candidate);
        }
        return next;
    }

    @Override
    public String toString() {
        return name + " v" + version;
    }
}
