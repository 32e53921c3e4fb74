package io.flowguard.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /health}, {@code /health/live}, {@code /health/ready}: the MicroProfile Health checks
 * (CDI beans marked {@code @Liveness}/{@code @Readiness}) in MicroProfile Health's JSON shape,
 * 200 when all are UP, 503 otherwise; no authentication. Served by the application itself
 * rather than Helidon's health feature so that these responses carry the same headers as every
 * other one (Helidon's handler forces its own {@code Cache-Control}).
 */
@Path("/health")
@Tag(name = "health")
@ApplicationScoped
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    private static final String ANYONE = "[\"anyone\"]";

    @Inject
    @Liveness
    Instance<HealthCheck> liveness;
    @Inject
    @Readiness
    Instance<HealthCheck> readiness;

    /** Liveness and readiness together. */
    @GET
    @Operation(summary = "All health checks")
    @APIResponse(responseCode = "200", description = "UP")
    @APIResponse(responseCode = "503", description = "DOWN")
    @SecurityRequirementsSet
    @Extension(name = "x-roles", value = ANYONE, parseValue = true)
    public Response all() {
        List<HealthCheck> checks = new ArrayList<>();
        liveness.forEach(checks::add);
        readiness.forEach(checks::add);
        return report(checks);
    }

    /** Whether the process should be restarted. */
    @GET
    @Path("live")
    @Operation(summary = "Liveness: the process is healthy")
    @APIResponse(responseCode = "200", description = "UP")
    @APIResponse(responseCode = "503", description = "DOWN: deadlocked or out of heap")
    @SecurityRequirementsSet
    @Extension(name = "x-roles", value = ANYONE, parseValue = true)
    public Response live() {
        return report(liveness.stream().toList());
    }

    /** Whether the instance can serve: database reachable, migrated, schema as expected. */
    @GET
    @Path("ready")
    @Operation(summary = "Readiness: the database is reachable, migrated and matches")
    @APIResponse(responseCode = "200", description = "UP")
    @APIResponse(responseCode = "503", description = "DOWN, with a short reason")
    @SecurityRequirementsSet
    @Extension(name = "x-roles", value = ANYONE, parseValue = true)
    public Response ready() {
        return report(readiness.stream().toList());
    }

    private static Response report(List<HealthCheck> checks) {
        boolean up = true;
        List<Map<String, Object>> results = new ArrayList<>();
        for (HealthCheck check : checks) {
            HealthCheckResponse r = check.call();
            up &= r.getStatus() == HealthCheckResponse.Status.UP;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("name", r.getName());
            result.put("status", r.getStatus().name());
            r.getData().filter(d -> !d.isEmpty()).ifPresent(d -> result.put("data", d));
            results.add(result);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", results);
        return Response.status(up ? 200 : 503).entity(body).build();
    }
}
