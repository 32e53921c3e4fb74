package io.flowguard.api;

import java.util.List;
import java.util.Map;

import io.flowguard.flow.FlowDefinition;
import io.flowguard.flow.FlowRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /flows}: the registered flows (the whitelist), for any authenticated user. */
@Path("/flows")
@ApplicationScoped
@RolesAllowed({"flow-user", "flow-admin"})
public class FlowResource {

    @Inject
    FlowRegistry registry;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> flows() {
        return registry.flows().stream().map(FlowResource::summary).toList();
    }

    private static Map<String, Object> summary(FlowDefinition flow) {
        return Map.of("name", flow.name(), "version", flow.version(), "steps", List.copyOf(flow.steps().keySet()));
    }
}
