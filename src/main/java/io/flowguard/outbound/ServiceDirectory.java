package io.flowguard.outbound;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

import io.flowguard.engine.ServiceCaller;
import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.flow.ServiceCallException;
import io.flowguard.flow.ServiceReply;
import org.eclipse.microprofile.config.Config;

/**
 * The outbound services the registered flows declare, each with its client and guards, built
 * once at startup. A flow naming a service with no {@code flowguard.services.<name>.url} (or
 * with a bad setting) stops startup with one message listing every problem; there is no other
 * way to reach a service, and no URL ever comes from state or input.
 */
public final class ServiceDirectory implements ServiceCaller {

    private static final Logger LOG = Logger.getLogger(ServiceDirectory.class.getName());

    private final Map<String, ServiceClient> clients;

    /**
     * @param flows  the registered flows
     * @param config the configuration holding {@code flowguard.services.*}
     * @throws IllegalStateException listing every declared service that is missing or misconfigured
     */
    public ServiceDirectory(Collection<FlowDefinition> flows, Config config) {
        Map<String, List<String>> usedBy = new TreeMap<>();
        for (FlowDefinition flow : flows) {
            for (String service : flow.services()) {
                usedBy.computeIfAbsent(service, s -> new ArrayList<>()).add(flow.name());
            }
        }
        Map<String, ServiceClient> built = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        usedBy.forEach((service, users) -> {
            try {
                built.put(service, new ServiceClient(ServiceSettings.from(config, service)));
            } catch (IllegalArgumentException bad) {
                problems.add(bad.getMessage() + " (service " + service + " is called by flow "
                        + String.join(", ", users) + ")");
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException("outbound services are not configured: " + String.join("; ", problems));
        }
        this.clients = Map.copyOf(built);
        if (!clients.isEmpty()) {
            LOG.info("outbound services: " + built.values().stream().map(c -> c.settings().toString()).toList());
        }
    }

    /**
     * @param service        a configured service
     * @param path           the path under its URL
     * @param json           the request body
     * @param idempotencyKey the key every attempt carries
     * @return the 2xx reply
     * @throws ServiceCallException when the service is unknown here or the call fails for good
     */
    @Override
    public ServiceReply post(String service, String path, String json, String idempotencyKey) {
        ServiceClient client = clients.get(service);
        if (client == null) {
            throw new ServiceCallException(service, 0, 0, "service " + service + " is not configured");
        }
        return client.post(path, json, idempotencyKey);
    }

    /**
     * @param service a configured service
     * @return its circuit breaker's state ({@code CLOSED}, {@code OPEN} or {@code HALF_OPEN})
     */
    public String circuit(String service) {
        ServiceClient client = clients.get(service);
        if (client == null) {
            throw new IllegalArgumentException("service " + service + " is not configured");
        }
        return client.circuit().name();
    }
}
