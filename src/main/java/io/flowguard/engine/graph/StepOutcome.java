package io.flowguard.engine.graph;

import io.flowguard.flow.AgentAsk;
/**
 * What running one step produced, given to the engine to persist in the step's transaction.
 */
public sealed interface StepOutcome {

    /** @return the state after the step (the same object when the step changed it in place) */
    Object state();

    /**
     * The step finished; its listeners and routers run next.
     *
     * @param state the state after the step
     */
    record Done(Object state) implements StepOutcome {
    }

    /**
     * A router chose a label.
     *
     * @param state the state after the router
     * @param label one of the router's declared labels
     */
    record Routed(Object state, String label) implements StepOutcome {
    }

    /**
     * The step asks an agent; the execution waits.
     *
     * @param state the state after the step
     * @param ask   the question
     */
    record Asked(Object state, AgentAsk ask) implements StepOutcome {
    }
}
