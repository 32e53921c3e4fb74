package io.flowguard.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
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
    @Operation(summary = "Metrics in Prometheus text format", description = "Role: flow-admin.")
    @APIResponse(responseCode = "200", description = "the scrape")
    @APIResponse(responseCode = "401", description = "unauthenticated",
            content = @Content(mediaType = ExecutionResource.PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "forbidden: not flow-admin",
            content = @Content(mediaType = ExecutionResource.PROBLEM, schema = @Schema(ref = "Problem")))
    @Extension(name = "x-roles", value = "[\"flow-admin\"]", parseValue = true)
    public String scrape() {
        return registry.scrape();
    }
}
