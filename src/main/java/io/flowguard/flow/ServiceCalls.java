package io.flowguard.flow;

/**
 * How a step reaches the outbound services its flow declares ({@link Flow#services()}). The
 * engine supplies the implementation; flows use it through {@link StepContext#call}.
 */
public interface ServiceCalls {

    /**
     * Sends {@code payload} as JSON in a POST to the named service.
     *
     * @param service        a service the flow declares, configured as {@code flowguard.services.<name>.url}
     * @param path           the path under the service's URL, starting with {@code /}; it can never
     *                       change the host the call goes to
     * @param payload        any object that maps to JSON (null sends {@code null})
     * @param idempotencyKey sent as {@code Idempotency-Key}, the same for every attempt
     * @return the service's 2xx reply
     * @throws ServiceCallException when the call fails for good
     */
    ServiceReply call(String service, String path, Object payload, String idempotencyKey);

    /**
     * Reads a reply's body as the type a step asks for (a fixed type in the flow's code, never
     * one named by data).
     *
     * @param reply a reply from {@link #call}
     * @param type  the type to read
     * @param <T>   the type
     * @return the body as {@code type}
     * @throws ServiceCallException when the body does not read as {@code type}
     */
    <T> T read(ServiceReply reply, Class<T> type);
}
