package io.flowguard.api;

import java.time.Instant;
import java.util.Optional;

import io.flowguard.http.Problems;
import io.flowguard.http.SecurityAudit;
import io.flowguard.security.TokenPolicy;
import io.flowguard.security.TokenVerification;
import io.flowguard.security.VerifiedTokens;
import io.helidon.common.context.Contexts;
import io.micrometer.core.instrument.MeterRegistry;
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
 *
 * <p>A token found in the cache of verified tokens ({@link VerifiedTokens}) passed these rules
 * when it was cached (its shape cannot change; the cache serves it only while its times pass), so
 * it is not read again. Either way the look-up is left in the request's context, where the provider
 * {@link TokenVerification} installs takes the cached subject, or caches the one MicroProfile JWT
 * verifies.
 */
@Provider
@ApplicationScoped
@Priority(Priorities.AUTHENTICATION - 10)
public class TokenPolicyFilter implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";

    private volatile TokenPolicy policy;

    @Inject
    SecurityAudit audit;
    @Inject
    TokenVerification verification;
    @Inject
    MeterRegistry meters;

    void checkAtStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        policy();
        verification.tokens().ifPresent(tokens -> tokens.countIn(meters));
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
        String token = header.substring(BEARER.length()).strip();
        Optional<VerifiedTokens.Lookup> lookup = verification.tokens().map(tokens -> tokens.lookup(token));
        if (lookup.filter(VerifiedTokens.Lookup::verified).isEmpty()) {
            Optional<TokenPolicy.Refusal> refusal = policy().refusal(token, Instant.now());
            if (refusal.isPresent()) {
                audit.record(SecurityAudit.Kind.AUTHENTICATION_FAILURE, refusal.get().reason(), null,
                        request.getMethod(), request.getUriInfo().getPath());
                request.abortWith(Response.fromResponse(Problems.of(401, "unauthenticated", "Authentication required",
                                refusal.get().detail()))
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"").build());
                return;
            }
        }
        lookup.ifPresent(l -> Contexts.context().ifPresent(c -> c.register(VerifiedTokens.Lookup.class, l)));
    }
}
