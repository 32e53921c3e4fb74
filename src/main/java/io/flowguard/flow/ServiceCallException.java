package io.flowguard.flow;

/**
 * An outbound call that failed for good: the service stayed unreachable or timed out through
 * every attempt, answered with an error status, its circuit is open, it is busy, or the call
 * itself was malformed. Thrown out of a step, it is a step failure like any other and the
 * step's {@link Retry} policy decides what happens next; its message is what the execution
 * records, e.g. {@code service billing unreachable after 3 attempts (connection refused)}.
 */
public class ServiceCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String service;
    private final int attempts;
    private final int status;

    /**
     * @param service  the service's configured name
     * @param attempts how many requests were sent (0 when none was)
     * @param status   the HTTP status the service answered with, or 0 when it gave none
     * @param message  what went wrong, naming the service and never a secret
     */
    public ServiceCallException(String service, int attempts, int status, String message) {
        super(message);
        this.service = service;
        this.attempts = attempts;
        this.status = status;
    }

    /** @return the service's configured name */
    public String service() {
        return service;
    }

    /** @return how many requests were sent (0 when none was) */
    public int attempts() {
        return attempts;
    }

    /** @return the HTTP status the service answered with, or 0 when it gave none */
    public int status() {
        return status;
    }
}
