package io.flowguard.testkit;

import java.util.Objects;

import io.flowguard.flow.ServiceCallException;
import io.flowguard.flow.ServiceReply;
import io.flowguard.json.StrictJson;

/**
 * What a stubbed service does with a call: reply (a 2xx with a body) or fail the way the real
 * client fails a call for good, with a {@link ServiceCallException} of the same message. A
 * failed call is a step failure, retried by the step's {@code @Retry} policy like any other.
 */
public final class StubReply {

    private static final StrictJson JSON = new StrictJson();

    private final int status;
    private final String body;
    private final String failure;

    private StubReply(int status, String body, String failure) {
        this.status = status;
        this.body = body;
        this.failure = failure;
    }

    /**
     * @param body the reply body: a {@code String} is taken as JSON text, anything else is written
     *             as JSON (a record, a map)
     * @return a 200 reply with that body
     */
    public static StubReply ok(Object body) {
        return new StubReply(200, body instanceof String text ? text : JSON.write(body), null);
    }

    /**
     * @param status an HTTP status: 200 to 299 is a reply with no body; 400 to 599 fails the call
     *               as the real client does ({@code service media answered 503 to POST /bookings})
     * @return that reply
     * @throws IllegalArgumentException for any other status (the client follows no redirect)
     */
    public static StubReply status(int status) {
        if (status >= 200 && status <= 299) {
            return new StubReply(status, "", null);
        }
        if (status >= 400 && status <= 599) {
            return new StubReply(status, null, "answered " + status);
        }
        throw new IllegalArgumentException("a stubbed service replies 2xx, 4xx or 5xx, not " + status);
    }

    /** @return a failure as when every attempt found the service unreachable */
    public static StubReply unreachable() {
        return new StubReply(0, null, "unreachable after 1 attempt (stubbed)");
    }

    /** @return a failure as when every attempt timed out */
    public static StubReply timedOut() {
        return new StubReply(0, null, "timed out after 1 attempt (stubbed)");
    }

    /**
     * @param call the call this answers
     * @return the reply the step's code reads
     * @throws ServiceCallException when this stands for a failed call
     */
    ServiceReply toReply(OutboundCall call) {
        if (failure == null) {
            return new ServiceReply(call.service(), status, body, 1);
        }
        String what = "service " + call.service() + " " + failure;
        if (status != 0) {
            what += " to POST " + StrictJson.shown(call.path());
        }
        throw new ServiceCallException(call.service(), 1, status, what);
    }

    @Override
    public String toString() {
        return failure != null ? "fails: " + failure : status + " " + Objects.toString(body, "");
    }
}
