package io.flowguard.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The framework's own errors (405, 415, 406, ...) as problem+json, without its default HTML or text. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 404) {
            // A path no resource matches: hand back Jersey's bare 404 so Helidon's routing goes on to
            // health and the other non-JAX-RS endpoints; if none matches either, RoutingProblems
            // answers with the problem (our own 404s are EngineExceptions).
            return e.getResponse();
        }
        return Response.status(status).type(Problems.PROBLEM_JSON).entity(Problems.forStatus(status)).build();
    }
}
