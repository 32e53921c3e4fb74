package io.flowguard.security;

import java.lang.annotation.Annotation;
import java.util.Collection;
import java.util.Optional;

import io.helidon.common.context.Contexts;
import io.helidon.security.AuthenticationResponse;
import io.helidon.security.ProviderRequest;
import io.helidon.security.SecurityResponse;
import io.helidon.security.spi.AuthenticationProvider;
import io.helidon.security.util.TokenHandler;

/**
 * MicroProfile JWT's own provider (signature, issuer, audience, expiry, subject) behind the
 * cache of verified tokens. The cache is used only for a request whose token
 * {@link TokenPolicy} passed or found cached: that filter leaves its {@link VerifiedTokens.Lookup}
 * in the request's context. A hit answers with the subject verified before, so the token is
 * neither parsed nor verified again; a miss is verified as ever, and its subject cached. Without a
 * look-up (no cache, or a request the filter did not see) every token is verified.
 *
 * <p>Also answers a 401, never a 500, for a verified token whose claims MicroProfile JWT cannot
 * read: it parses a {@code zoneinfo}, a {@code website}, a {@code birthdate} after the signature
 * check, outside its own error handling.
 */
final class CachingJwtProvider implements AuthenticationProvider {

    /** Where MicroProfile JWT takes the token from (its default, which Flowguard keeps). */
    private static final TokenHandler BEARER = TokenHandler.builder()
            .tokenHeader("Authorization").tokenPrefix("bearer ").build();

    private final AuthenticationProvider verifier;
    private final Optional<VerifiedTokens> tokens;

    /**
     * @param verifier MicroProfile JWT's provider
     * @param tokens   the cache, where there is one
     */
    CachingJwtProvider(AuthenticationProvider verifier, Optional<VerifiedTokens> tokens) {
        this.verifier = verifier;
        this.tokens = tokens;
    }

    @Override
    public Collection<Class<? extends Annotation>> supportedAnnotations() {
        return verifier.supportedAnnotations();
    }

    @Override
    public AuthenticationResponse authenticate(ProviderRequest request) {
        Optional<VerifiedTokens.Lookup> lookup = tokens.flatMap(t -> lookupOf(request));
        Optional<AuthenticationResponse> cached = lookup.flatMap(VerifiedTokens.Lookup::subject)
                .map(AuthenticationResponse::success);
        if (cached.isPresent()) {
            return cached.get();
        }
        AuthenticationResponse verified;
        try {
            verified = verifier.authenticate(request);
        } catch (RuntimeException unreadableClaim) {
            return AuthenticationResponse.failed("token claims MicroProfile JWT cannot read", unreadableClaim);
        }
        if (verified.status() == SecurityResponse.SecurityStatus.SUCCESS && lookup.isPresent()) {
            verified.user().ifPresent(subject -> tokens.get().keep(lookup.get(), subject));
        }
        return verified;
    }

    /** The filter's look-up, only when it is of the very token MicroProfile JWT would verify. */
    private static Optional<VerifiedTokens.Lookup> lookupOf(ProviderRequest request) {
        Optional<VerifiedTokens.Lookup> lookup = Contexts.context()
                .flatMap(c -> c.get(VerifiedTokens.Lookup.class, VerifiedTokens.Lookup.class));
        if (lookup.isEmpty()) {
            return lookup;
        }
        Optional<String> token;
        try {
            token = BEARER.extractToken(request.env().headers());
        } catch (SecurityException notBearer) {
            return Optional.empty();
        }
        return lookup.filter(l -> token.filter(l.token()::equals).isPresent());
    }
}
