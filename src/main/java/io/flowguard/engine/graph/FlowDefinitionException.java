package io.flowguard.engine.graph;


/**
 * A flow class whose graph or signatures are invalid. Thrown while the registry is built, so the
 * service refuses to start; the message names the flow and the step.
 */
public class FlowDefinitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param flow    the flow's name (or class simple name when the name itself is bad)
     * @param step    the step concerned, or null for the flow as a whole
     * @param problem what is wrong
     */
    public FlowDefinitionException(String flow, String step, String problem) {
        super("flow " + flow + (step == null ? "" : ", step " + step) + ": " + problem);
    }
}
