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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
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
    private static final String DESCRIPTION = "No authentication. 200 when every check is UP, 503 otherwise; the "
            + "report shows status words and figures, never hosts or SQL.";

    @Inject
    @Liveness
    Instance<HealthCheck> liveness;
    @Inject
    @Readiness
    Instance<HealthCheck> readiness;

    /** Liveness and readiness together. */
    @GET
    @Operation(operationId = "getHealth", summary = "All health checks", description = DESCRIPTION,
            extensions = @Extension(name = "x-roles", value = ANYONE, parseValue = true))
    @APIResponse(responseCode = "200", description = "UP", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "HealthReport")))
    @APIResponse(responseCode = "503", description = "DOWN", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "HealthReport")))
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @SecurityRequirementsSet
    public Response all() {
        List<HealthCheck> checks = new ArrayList<>();
        liveness.forEach(checks::add);
        readiness.forEach(checks::add);
        return report(checks);
    }

    /** Whether the process should be restarted. */
    @GET
    @Path("live")
    @Operation(operationId = "getLiveness", summary = "Liveness: the process is healthy", description = DESCRIPTION,
            extensions = @Extension(name = "x-roles", value = ANYONE, parseValue = true))
    @APIResponse(responseCode = "200", description = "UP", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "HealthReport")))
    @APIResponse(responseCode = "503", description = "DOWN: deadlocked or out of heap", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "HealthReport")))
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @SecurityRequirementsSet
    public Response live() {
        return report(liveness.stream().toList());
    }

    /** Whether the instance can serve: database reachable, migrated, schema as expected. */
    @GET
    @Path("ready")
    @Operation(operationId = "getReadiness", summary = "Readiness: the database is reachable, migrated and matches", description = DESCRIPTION,
            extensions = @Extension(name = "x-roles", value = ANYONE, parseValue = true))
    @APIResponse(responseCode = "200", description = "UP", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "HealthReport")))
    @APIResponse(responseCode = "503", description = "DOWN, with a short reason", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "HealthReport")))
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @SecurityRequirementsSet
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
