package io.flowguard.api;

import io.flowguard.http.Problems;
import io.flowguard.http.SecurityAudit;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The framework's own errors (405, 415, 406, ...) as problem+json, without its default HTML or text. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Inject
    SecurityAudit audit;
    @Context
    UriInfo uri;
    @Context
    Request request;

    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 400 && status < 500 && status != 404) {
            audit.record(SecurityAudit.Kind.VALIDATION_REJECTED, "HTTP " + status, null, request.getMethod(),
                    uri.getPath());
        }
        if (e.getResponse().hasEntity() && Problems.PROBLEM_JSON.isCompatible(e.getResponse().getMediaType())) {
            return e.getResponse(); // already a problem (e.g. a body over its limit)
        }
        if (status == 404) {
            // A path no resource matches: hand back Jersey's bare 404 so Helidon's routing goes on to
            // health and the other non-JAX-RS endpoints; if none matches either, RoutingProblems
            // answers with the problem (our own 404s are EngineExceptions).
            return e.getResponse();
        }
        return Response.status(status).type(Problems.PROBLEM_JSON).entity(Problems.forStatus(status)).build();
    }
}
