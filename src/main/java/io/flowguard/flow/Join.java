package io.flowguard.flow;

/** How a listener with several triggers waits for them. */
public enum Join {
    /** The first trigger to fire starts the step (once). */
    ANY,
    /** The step starts when every trigger has fired. */
    ALL
}
