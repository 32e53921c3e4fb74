package io.flowguard.api;

import java.security.Principal;

import io.flowguard.http.Problems;
import io.flowguard.http.SecurityAudit;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Gives a problem+json body to error responses that filters aborted with a bare status: the
 * 401 of the JWT authentication and the 403 of the role checks run before any resource, so no
 * exception mapper sees them. Headers they set (such as {@code WWW-Authenticate}) stay.
 * A bare 404 is left alone: it tells Helidon to try its other routes (health).
 */
@Provider
@Priority(Priorities.USER)
public class ProblemBodyFilter implements ContainerResponseFilter {

    @Inject
    SecurityAudit audit;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status < 400 || status == 404 || response.hasEntity()) {
            return;
        }
        if (status == 401) {
            audit.record(SecurityAudit.Kind.AUTHENTICATION_FAILURE, why(request), null, request.getMethod(),
                    request.getUriInfo().getPath());
        } else if (status == 403) {
            Principal user = request.getSecurityContext() == null ? null : request.getSecurityContext().getUserPrincipal();
            audit.record(SecurityAudit.Kind.FORBIDDEN, "the token lacks the role", user == null ? null : user.getName(),
                    request.getMethod(), request.getUriInfo().getPath());
        }
        if (status == 401 && !response.getHeaders().containsKey(HttpHeaders.WWW_AUTHENTICATE)) {
            response.getHeaders().putSingle(HttpHeaders.WWW_AUTHENTICATE, "Bearer"); // RFC 6750
        }
        response.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, Problems.PROBLEM_JSON);
        response.setEntity(Problems.forStatus(status), null, Problems.PROBLEM_JSON);
    }

    /** Why MicroProfile JWT refused, as far as the request shows it (never the token itself). */
    private static String why(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return "no token";
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "not a bearer token";
        }
        return "token refused by verification (signature, issuer, audience, expiry or subject)";
    }
}
