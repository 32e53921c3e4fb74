package io.flowguard.api;

import io.flowguard.engine.EngineException;
import io.flowguard.http.Problems;
import io.flowguard.http.SecurityAudit;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Turns the engine's refusals into problem+json with a stable type per kind. */
@Provider
public class EngineExceptionMapper implements ExceptionMapper<EngineException> {

    @Inject
    SecurityAudit audit;
    @Context
    UriInfo uri;
    @Context
    Request request;
    @Context
    SecurityContext security;

    @Override
    public Response toResponse(EngineException e) {
        SecurityAudit.Kind kind = switch (e.problem()) {
            case FORBIDDEN -> SecurityAudit.Kind.FORBIDDEN;
            case INVALID_INPUT, STATE_TOO_LARGE, IDEMPOTENCY_MISMATCH -> SecurityAudit.Kind.VALIDATION_REJECTED;
            case UNKNOWN_FLOW -> SecurityAudit.Kind.UNKNOWN_FLOW;
            case QUOTA_EXCEEDED -> SecurityAudit.Kind.QUOTA_EXCEEDED;
            case TOO_MANY_STREAMS -> SecurityAudit.Kind.STREAM_LIMIT;
            case NOT_FOUND, CONFLICT, STALE_VERSION, NO_MIGRATION -> null;
        };
        if (kind != null) {
            audit.record(kind, e.getMessage(), security.getUserPrincipal() == null ? null
                    : security.getUserPrincipal().getName(), request.getMethod(), uri.getPath());
        }
        return problem(e);
    }

    /** @return the problem response for a refusal (the mapping alone, without the audit) */
    static Response problem(EngineException e) {
        return switch (e.problem()) {
            case UNKNOWN_FLOW -> Problems.of(422, "unknown-flow", "Unknown flow", e.getMessage());
            case INVALID_INPUT -> Problems.of(400, "invalid-input", "Invalid input", e.getMessage());
            case STATE_TOO_LARGE -> Problems.of(413, "state-too-large", "State too large", e.getMessage());
            case NOT_FOUND -> Problems.of(404, "not-found", "Not found", e.getMessage());
            case CONFLICT -> Problems.of(409, "conflict", "Conflict", e.getMessage());
            case FORBIDDEN -> Problems.of(403, "forbidden", "Forbidden", e.getMessage());
            case STALE_VERSION -> Problems.of(412, "stale-version", "Stale version", e.getMessage());
            case IDEMPOTENCY_MISMATCH -> Problems.of(422, "idempotency-key-reused", "Idempotency key reused",
                    e.getMessage());
            case QUOTA_EXCEEDED -> Problems.of(429, "quota-exceeded", "Quota exceeded", e.getMessage());
            case TOO_MANY_STREAMS -> Problems.of(429, "too-many-streams", "Too many streams", e.getMessage());
            case NO_MIGRATION -> Problems.of(422, "no-migration", "No such migration", e.getMessage());
        };
    }
}
