package io.flowguard.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /metrics}: every meter in Prometheus text format, for {@code flow-admin} tokens only
 * (a Prometheus scraper gets its own admin token). Names and tags are the registered flow and
 * step names and fixed words, never request data.
 */
@Path("/metrics")
@Tag(name = "operations")
@ApplicationScoped
@RolesAllowed("flow-admin")
public class MetricsResource {

    /** Prometheus' text exposition format. */
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    @Inject
    PrometheusMeterRegistry registry;

    /** @return the scrape */
    @GET
    @Produces(PROMETHEUS)
    @Operation(operationId = "getMetrics", summary = "Metrics in Prometheus text format", description = "Role: flow-admin.",
            extensions = @Extension(name = "x-roles", value = "[\"flow-admin\"]", parseValue = true))
    @APIResponse(responseCode = "200", description = "the scrape",
            content = @Content(mediaType = PROMETHEUS, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "429", ref = "RateLimited")
    @APIResponse(responseCode = "500", ref = "InternalError")
    public String scrape() {
        return registry.scrape();
    }
}
