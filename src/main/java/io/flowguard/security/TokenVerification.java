package io.flowguard.security;

import java.time.Clock;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.microprofile.cdi.RuntimeStart;
import io.helidon.microprofile.jwt.auth.JwtAuthProvider;
import io.helidon.microprofile.security.SecurityCdiExtension;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import org.eclipse.microprofile.config.ConfigProvider;

import static jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE;

/**
 * Installs token verification: MicroProfile JWT's provider, built from the configuration exactly
 * as its own CDI extension builds it, behind {@link CachingJwtProvider}, under the provider name
 * that extension uses ({@value #PROVIDER_NAME}). Registered first, so that extension finds the name
 * taken and installs no provider of its own.
 *
 * <p>The verifier's clock skew is the token rules' ({@link TokenPolicy#clockSkew()}): one skew
 * for {@code exp}, {@code nbf}, {@code iat} and the cache.
 */
public class TokenVerification implements Extension {

    /** The name MicroProfile JWT's CDI extension gives its provider, and looks for. */
    static final String PROVIDER_NAME = "mp-jwt-auth";

    private Config config;
    private Optional<VerifiedTokens> tokens = Optional.empty();

    void configured(@Observes @RuntimeStart Config config) {
        this.config = config;
    }

    // MicroProfile JWT registers its provider at PLATFORM_BEFORE + 5, security is built at LIBRARY_BEFORE
    void install(@Observes @Initialized(ApplicationScoped.class) @Priority(PLATFORM_BEFORE + 4) Object event,
                 BeanManager beans) {
        org.eclipse.microprofile.config.Config mpConfig = ConfigProvider.getConfig();
        TokenPolicy policy = TokenPolicy.from(mpConfig);
        tokens = VerifiedTokens.from(mpConfig, policy.clockSkew(), Clock.systemUTC());
        JwtAuthProvider verifier = JwtAuthProvider.builder().config(config)
                .clockSkew((int) policy.clockSkew().toSeconds())
                .build();
        beans.getExtension(SecurityCdiExtension.class).securityBuilder()
                .addProvider(new CachingJwtProvider(verifier, tokens), PROVIDER_NAME);
    }

    /** @return the cache of verified tokens, or empty when it is off */
    public Optional<VerifiedTokens> tokens() {
        return tokens;
    }
}
