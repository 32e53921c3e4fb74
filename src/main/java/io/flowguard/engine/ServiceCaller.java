package io.flowguard.engine;

import io.flowguard.flow.ServiceCallException;
import io.flowguard.flow.ServiceReply;

/**
 * Posts a step's call to an outbound service the flow declared. The service adapter supplies one
 * built from configuration (with retries, breaker, timeout, bulkhead); an engine built without
 * one refuses every call.
 */
@FunctionalInterface
public interface ServiceCaller {

    /** Refuses every call: no outbound service is configured. */
    ServiceCaller NONE = (service, path, json, key) -> {
        throw new ServiceCallException(service, 0, 0, "service " + service + " is not configured");
    };

    /**
     * @param service        a service the flow declared
     * @param path           the path to post to
     * @param json           the request body
     * @param idempotencyKey the same for every attempt of the same call of the same step run
     * @return the reply
     * @throws ServiceCallException when the call failed for good
     */
    ServiceReply post(String service, String path, String json, String idempotencyKey);
}
