package io.flowguard.http;

/**
 * The keys of what one layer leaves in a request's Helidon context for another: the edge
 * registers the request id and the client address before routing, the API marks a request whose
 * body framing it found broken so the edge closes the connection after the answer. Kept here, not
 * in either layer, so neither needs to import the other.
 */
public final class RequestKeys {

    /** The request id (the caller's {@code X-Request-Id} when well formed, else a new one). */
    public static final String REQUEST_ID = "flowguard.request-id";
    /** The client address, as the edge resolved it (trusted proxies applied). */
    public static final String CLIENT = "flowguard.client";
    /** Present when the request's body framing was found broken. */
    public static final String BROKEN_BODY = "flowguard.broken-body";

    private RequestKeys() {
    }
}
