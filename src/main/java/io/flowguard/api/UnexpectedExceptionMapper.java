package io.flowguard.api;

import java.util.UUID;
import java.util.logging.Logger;

import io.flowguard.store.OneLineError;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Anything unforeseen: a 500 problem with an incident id, never the exception's text; the
 * one-line cause goes to the log under the same id.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<RuntimeException> {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

    @Override
    public Response toResponse(RuntimeException e) {
        String incident = UUID.randomUUID().toString();
        LOG.warning("incident " + incident + ": " + OneLineError.of(e));
        return Problems.of(500, "internal-error", "Internal error", "incident " + incident);
    }
}
