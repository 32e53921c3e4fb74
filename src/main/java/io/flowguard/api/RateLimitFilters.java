package io.flowguard.api;


import io.flowguard.http.Problems;
import io.flowguard.http.RequestKeys;
import io.flowguard.http.SecurityAudit;
import io.helidon.common.context.Contexts;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Where {@link RateLimiter} applies. Keys come only from what was verified: an authenticated
 * request counts against its token subject, and only against it (after MicroProfile JWT, so a
 * forged token cannot drain someone else's budget); a request that fails authentication counts
 * against its client address ({@link RequestKeys#CLIENT}). An address over its limit is refused
 * at once when it sends no bearer token, and after verification when the token it sends fails:
 * a valid token is never refused for its address, or failed logins from a shared address (a
 * load balancer, a NAT) would lock every user behind it out.
 */
final class RateLimitFilters {

    private RateLimitFilters() {
    }

    static Response tooMany(RateLimiter.Verdict verdict) {
        return Response.fromResponse(Problems.of(429, "rate-limited", "Too many requests",
                        "slow down; retry after " + verdict.retryAfterSeconds() + " s"))
                .header("Retry-After", Long.toString(verdict.retryAfterSeconds())).build();
    }

    static String client() {
        return Contexts.context().flatMap(c -> c.get(RequestKeys.CLIENT, String.class)).orElse("unknown");
    }

    /**
     * Around authentication: an address over its limit from failed attempts is refused before
     * verification when it sends no bearer token (nothing to verify), and its failed attempts
     * are answered 429 instead of 401 (the token had to be checked to know it fails). Health is
     * not limited: a platform probe may share its address with a client sending bad tokens.
     */
    @Provider
    @Priority(Priorities.AUTHENTICATION - 30)
    public static class ByAddress implements ContainerRequestFilter, ContainerResponseFilter {

        @Inject
        RateLimiter limiter;
        @Inject
        SecurityAudit audit;

        @Context
        ResourceInfo resource;

        @Override
        public void filter(ContainerRequestContext request) {
            if (bearer(request) || resource.getResourceClass() == HealthResource.class) {
                return; // it may be valid: a valid token is governed by its subject's budget only
            }
            RateLimiter.Verdict verdict = limiter.peek("address:" + client());
            if (!verdict.allowed()) {
                audit.record(SecurityAudit.Kind.RATE_LIMITED, "address over its limit of unauthenticated requests",
                        null, request.getMethod(), request.getUriInfo().getPath());
                request.abortWith(tooMany(verdict));
            }
        }

        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (response.getStatus() != 401) {
                return;
            }
            RateLimiter.Verdict verdict = limiter.take("address:" + client());
            if (!verdict.allowed()) {
                audit.record(SecurityAudit.Kind.RATE_LIMITED, "address over its limit of failed authentications",
                        null, request.getMethod(), request.getUriInfo().getPath());
                Response refusal = tooMany(verdict);
                response.setStatus(refusal.getStatus());
                response.getHeaders().remove(HttpHeaders.WWW_AUTHENTICATE);
                response.getHeaders().putSingle("Retry-After", refusal.getHeaderString("Retry-After"));
                response.setEntity(refusal.getEntity(), null, Problems.PROBLEM_JSON);
            }
        }

        private static boolean bearer(ContainerRequestContext request) {
            String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
            return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
        }
    }

    /** After authentication: every request of a subject counts against that subject. */
    @Provider
    @Priority(Priorities.AUTHORIZATION + 10)
    public static class BySubject implements ContainerRequestFilter {

        @Inject
        RateLimiter limiter;
        @Inject
        SecurityAudit audit;

        @Context
        ResourceInfo resource;

        @Override
        public void filter(ContainerRequestContext request) {
            if (resource.getResourceClass() == HealthResource.class) {
                return; // probes from the platform; cheap and unauthenticated
            }
            // every other resource requires an authenticated caller (ArchitectureTest), refused before this
            String subject = request.getSecurityContext().getUserPrincipal().getName();
            RateLimiter.Verdict verdict = limiter.take("subject:" + subject);
            if (!verdict.allowed()) {
                audit.record(SecurityAudit.Kind.RATE_LIMITED, "over the request rate limit",
                        subject, request.getMethod(), request.getUriInfo().getPath());
                request.abortWith(tooMany(verdict));
            }
        }
    }
}
