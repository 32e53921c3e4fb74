package io.flowguard.engine.graph;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.Join;
import io.flowguard.flow.StepContext;
import java.util.Set;

/**
 * One validated step of a flow graph.
 *
 * @param name      the step name (the method name), as stored in the database
 * @param kind      start, listener or router
 * @param triggers  what a listener listens to (empty for others)
 * @param join      how a listener waits for several triggers
 * @param after     the step a router follows (null for others)
 * @param labels    the labels a router may return (empty for others)
 * @param askRoles  the agent roles the step may ask (empty when it never asks)
 * @param answerType the shape a valid answer to this step's asks maps to ({@code Object.class}: any object)
 * @param retry     the policy when the step throws
 * @param invoker   how to call it
 */
public record StepDefinition(String name, Kind kind, Set<String> triggers, Join join, String after,
                             Set<String> labels, Set<String> askRoles, Class<?> answerType, RetryPolicy retry,
                             StepInvoker invoker) {

    /** The roles a step plays in the graph. */
    public enum Kind {
        /** Runs when the execution starts. */
        START,
        /** Runs after its triggers. */
        LISTEN,
        /** Runs after one step and picks a label. */
        ROUTER
    }

    /** @return true when the step may park the execution on an agent */
    public boolean asks() {
        return !askRoles.isEmpty();
    }

    /** @return true when the step's method takes the agent's answer */
    public boolean wantsAnswer() {
        return invoker.wantsAnswer();
    }

    /**
     * Runs the step and classifies what it returned.
     *
     * @param state   the current state (a fresh copy the step may change)
     * @param context the run's context
     * @param answer  the answer when the step listens to an asking step, else null
     * @return the outcome
     * @throws Exception whatever the step threw, or {@link IllegalStateException} when it broke its declared contract
     */
    public StepOutcome run(Object state, StepContext context, AgentAnswer answer) throws Exception {
        Object result = invoker.invoke(state, context, answer);
        return switch (invoker.returns()) {
            case NOTHING -> new StepOutcome.Done(state);
            case STATE -> new StepOutcome.Done(requireNonNull(result, "returned no state"));
            case LABEL -> routed(state, (String) result);
            case ASK -> asked(state, (AgentAsk) result);
        };
    }

    private StepOutcome routed(Object state, String label) {
        if (label == null || !labels.contains(label)) {
            throw new IllegalStateException("router " + name + " returned an undeclared label");
        }
        return new StepOutcome.Routed(state, label);
    }

    private StepOutcome asked(Object state, AgentAsk ask) {
        if (ask == null) {
            return new StepOutcome.Done(state);
        }
        if (!askRoles.contains(ask.role())) {
            throw new IllegalStateException("step " + name + " asked a role it did not declare");
        }
        return new StepOutcome.Asked(state, ask);
    }

    private Object requireNonNull(Object value, String problem) {
        if (value == null) {
            throw new IllegalStateException("step " + name + " " + problem);
        }
        return value;
    }
}
