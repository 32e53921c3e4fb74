package io.flowguard.api;

import java.util.UUID;
import java.util.logging.Logger;

import io.flowguard.http.Problems;
import io.flowguard.store.DatabaseOutage;
import io.flowguard.store.OneLineError;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Anything unforeseen: a 500 problem with an incident id, never the exception's text; the
 * one-line cause goes to the log under the same id. The database being unreachable is foreseen
 * ({@link DatabaseOutage}): a 503 {@code service-unavailable} with {@code Retry-After}, so
 * clients and load balancers back off and retry instead of reporting a server bug.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<RuntimeException> {

    /** Seconds a client should wait before retrying while the database is unreachable. */
    static final int RETRY_AFTER_SECONDS = 5;

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

    @Override
    public Response toResponse(RuntimeException e) {
        if (DatabaseOutage.isCause(e)) {
            LOG.warning("database unavailable, answered 503: " + OneLineError.of(e));
            return Response.status(503).type(Problems.PROBLEM_JSON)
                    .header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))
                    .entity(Problems.body(503, "service-unavailable", "Service unavailable",
                            "the database cannot be reached; retry after " + RETRY_AFTER_SECONDS + " s"))
                    .build();
        }
        String incident = UUID.randomUUID().toString();
        LOG.warning("incident " + incident + ": " + OneLineError.of(e));
        return Problems.of(500, "internal-error", "Internal error", "incident " + incident);
    }
}
