package io.flowguard.api;

import java.time.Instant;
import java.util.Optional;

import io.flowguard.http.Problems;
import io.flowguard.http.SecurityAudit;
import io.flowguard.security.TokenPolicy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Applies {@link TokenPolicy} to bearer tokens just before MicroProfile JWT verifies them, so
 * a token with another algorithm, one not valid yet, or one whose header or claims have the wrong
 * JSON types (which MicroProfile JWT's parser would throw on: a 500) is a 401 like any other bad
 * token, audited and counted against the client address.
 * The policy is read when the application starts: bad JWT settings stop the startup.
 */
@Provider
@ApplicationScoped
@Priority(Priorities.AUTHENTICATION - 10)
public class TokenPolicyFilter implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";

    private volatile TokenPolicy policy;

    @Inject
    SecurityAudit audit;

    void checkAtStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        policy();
    }

    private TokenPolicy policy() {
        TokenPolicy p = policy;
        if (p == null) {
            p = TokenPolicy.from(ConfigProvider.getConfig());
            policy = p;
        }
        return p;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return; // MicroProfile JWT refuses it (no token) with its own 401
        }
        Optional<TokenPolicy.Refusal> refusal = policy().refusal(header.substring(BEARER.length()).strip(),
                Instant.now());
        if (refusal.isPresent()) {
            audit.record(SecurityAudit.Kind.AUTHENTICATION_FAILURE, refusal.get().reason(), null, request.getMethod(),
                    request.getUriInfo().getPath());
            request.abortWith(Response.fromResponse(Problems.of(401, "unauthenticated", "Authentication required",
                            refusal.get().detail()))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"").build());
        }
    }
}
