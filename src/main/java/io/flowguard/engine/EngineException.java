package io.flowguard.engine;

/**
 * A request the engine refuses, with a stable {@link Problem} the API turns into an RFC 9457
 * response. The message is safe to show a caller: no SQL, class names or paths.
 */
public class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The stable kinds of refusal. */
    public enum Problem {
        /** No registered flow by that name. */
        UNKNOWN_FLOW,
        /** The input does not map to the flow's state or fails its validation. */
        INVALID_INPUT,
        /** The state is larger than the configured cap. */
        STATE_TOO_LARGE,
        /** No such execution or agent request. */
        NOT_FOUND,
        /** The target is not in a state that allows the operation (finished, answered, expired...). */
        CONFLICT,
        /** The caller's role may not do this. */
        FORBIDDEN,
        /** The caller's expected version is not the current one. */
        STALE_VERSION,
        /** An idempotency key was reused with a different request. */
        IDEMPOTENCY_MISMATCH,
        /** The owner already has the most active executions allowed. */
        QUOTA_EXCEEDED,
        /** The caller already has the most live streams open. */
        TOO_MANY_STREAMS,
        /** The flow version declares no migration from the version named. */
        NO_MIGRATION
    }

    private final Problem problem;

    /**
     * @param problem the stable kind
     * @param message a safe, human-readable message
     */
    public EngineException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    /** @return the stable kind */
    public Problem problem() {
        return problem;
    }
}
