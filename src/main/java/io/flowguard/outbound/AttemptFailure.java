package io.flowguard.outbound;

/**
 * Why one attempt of a call failed, as the fault-tolerance guards see it: {@link Unreachable}
 * and {@link TimedOut} are retried, {@link ErrorStatus} never is (and only a 5xx counts against
 * the circuit breaker), {@link ReplyTooLarge} is not retried.
 */
abstract class AttemptFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    AttemptFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** Connection refused, reset or closed before a full reply: the request may not have arrived. */
    static final class Unreachable extends AttemptFailure {
        private static final long serialVersionUID = 1L;

        Unreachable(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** No connection, or no reply, within the configured limits. */
    static final class TimedOut extends AttemptFailure {
        private static final long serialVersionUID = 1L;

        TimedOut(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** The service answered, with a status other than 2xx: a real answer, never retried. */
    static class ErrorStatus extends AttemptFailure {
        private static final long serialVersionUID = 1L;

        private final int status;

        ErrorStatus(int status) {
            super("status " + status, null);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** A 1xx, 3xx or 4xx answer: the call's fault, not the service's health, so the breaker ignores it. */
    static final class ClientSideStatus extends ErrorStatus {
        private static final long serialVersionUID = 1L;

        ClientSideStatus(int status) {
            super(status);
        }
    }

    /** The reply was larger than the service's {@code max-reply-bytes}. */
    static final class ReplyTooLarge extends AttemptFailure {
        private static final long serialVersionUID = 1L;

        ReplyTooLarge(int limit) {
            super("reply larger than " + limit + " bytes", null);
        }
    }

    /**
     * Sorts what the HTTP client threw into the kinds above. Only connection-level failures and
     * timeouts count as {@link Unreachable} or {@link TimedOut}; anything else (a TLS or protocol
     * error, say) is returned unchanged and is not retried.
     *
     * @param thrown what sending the request or reading the reply threw
     * @return the classified failure, or {@code thrown} itself
     */
    static RuntimeException classify(RuntimeException thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return new Unreachable("connection refused", thrown);
            }
            if (t instanceof java.net.SocketTimeoutException) {
                String message = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
                return new TimedOut(message.contains("connect") ? "connect timed out" : "read timed out", thrown);
            }
            if (t instanceof java.net.NoRouteToHostException || t instanceof java.net.UnknownHostException) {
                return new Unreachable("host unreachable", thrown);
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return thrown;
            }
            if (t instanceof java.net.SocketException) {
                return new Unreachable("connection reset", thrown);
            }
            if (t instanceof io.helidon.common.buffers.DataReader.InsufficientDataAvailableException
                    || t instanceof java.io.EOFException) {
                return new Unreachable("connection closed before a full reply", thrown);
            }
        }
        return thrown;
    }
}
