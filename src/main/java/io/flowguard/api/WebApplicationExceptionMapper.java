package io.flowguard.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The framework's own errors (404, 405, 415, 406, ...) as problem+json, without its default HTML or text. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 404) {
            // A path no resource matches: hand back Jersey's bare 404 so Helidon's routing goes on to
            // health and the other non-JAX-RS endpoints (our own 404s are EngineExceptions).
            return e.getResponse();
        }
        return switch (status) {
            case 401 -> Problems.of(401, "unauthenticated", "Authentication required", null);
            case 403 -> Problems.of(403, "forbidden", "Forbidden", null);
            case 405 -> Problems.of(405, "method-not-allowed", "Method not allowed", null);
            case 406 -> Problems.of(406, "not-acceptable", "Not acceptable", null);
            case 415 -> Problems.of(415, "unsupported-media-type", "Unsupported media type",
                    "send application/json");
            default -> status >= 500
                    ? Problems.of(500, "internal-error", "Internal error", null)
                    : Problems.of(status, "bad-request", "Bad request", null);
        };
    }
}
