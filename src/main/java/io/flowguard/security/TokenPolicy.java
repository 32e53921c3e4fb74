package io.flowguard.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.config.Config;

/**
 * The token rules Flowguard adds to MicroProfile JWT's own verification (signature with the
 * configured key, issuer, audience, expiry): the token has the shape {@link TokenShape} describes
 * (only the asymmetric algorithms RS256 and ES256, no {@code crit}, registered claims of their
 * JSON types, a subject of at most 1,024 characters), and it is refused before its {@code nbf}
 * or {@code iat} (beyond the clock skew),
 * which Helidon's MP-JWT provider does not check. The rules only ever refuse a token; they
 * read the claims without verifying the signature, so they can never let a forged one in. They
 * read them from {@link TokenShape}'s one parse: the token is not parsed again before MicroProfile
 * JWT parses it to verify it.
 *
 * <p>Also the startup rules for the JWT settings: issuer and audience are required, the clock
 * skew is at most 60 s, and where {@code flowguard.auth.require-key} is on (prod) a verification
 * key must be configured.
 *
 * @param issuer    the required {@code iss}
 * @param audiences the accepted {@code aud} values
 * @param clockSkew how far token times may be off
 */
public record TokenPolicy(String issuer, List<String> audiences, Duration clockSkew) {

    /** The only signature algorithms accepted. */
    public static final Set<String> ALGORITHMS = Set.of("RS256", "ES256");
    /** The largest clock skew allowed. */
    public static final Duration MAX_SKEW = Duration.ofSeconds(60);

    /**
     * Reads and checks the JWT settings.
     *
     * @param config the application configuration
     * @return the policy
     * @throws IllegalStateException naming the key that is missing or wrong
     */
    public static TokenPolicy from(Config config) {
        String issuer = config.getOptionalValue("mp.jwt.verify.issuer", String.class).map(String::strip)
                .filter(s -> !s.isEmpty())
                .orElseThrow(() -> new IllegalStateException("mp.jwt.verify.issuer is required"));
        List<String> audiences = config.getOptionalValues("mp.jwt.verify.audiences", String.class)
                .map(l -> l.stream().map(String::strip).filter(s -> !s.isEmpty()).toList())
                .filter(l -> !l.isEmpty())
                .orElseThrow(() -> new IllegalStateException("mp.jwt.verify.audiences is required"));
        int skew = config.getOptionalValue("mp.jwt.verify.clock.skew", Integer.class).orElse(60);
        if (skew < 0 || skew > MAX_SKEW.toSeconds()) {
            throw new IllegalStateException("mp.jwt.verify.clock.skew must be 0..60 seconds, was " + skew);
        }
        if (config.getOptionalValue("flowguard.auth.require-key", Boolean.class).orElse(false)
                && config.getOptionalValue("mp.jwt.verify.publickey", String.class).isEmpty()
                && config.getOptionalValue("mp.jwt.verify.publickey.location", String.class).isEmpty()) {
            throw new IllegalStateException(
                    "mp.jwt.verify.publickey.location (or mp.jwt.verify.publickey) is required in this profile");
        }
        return new TokenPolicy(issuer, audiences, Duration.ofSeconds(skew));
    }

    /**
     * Why a token is refused.
     *
     * @param reason for the audit trail, in our words
     * @param detail for the caller's problem: generic unless the caller can fix it (a subject too long)
     */
    public record Refusal(String reason, String detail) {

        /** The problem detail of every refusal that tells the caller nothing more. */
        public static final String GENERIC = "send a valid bearer token in the Authorization header";

        static Refusal of(String reason) {
            return new Refusal(reason, GENERIC);
        }
    }

    /**
     * @param token a compact JWS from a request
     * @param now   the current time
     * @return why the token is refused, or empty when these rules let it through to verification
     */
    public Optional<Refusal> refusal(String token, Instant now) {
        return switch (TokenShape.read(token)) {
            case TokenShape.Refused refused -> Optional.of(refused.refusal());
            case TokenShape.Times times -> timeRefusal(times, now);
        };
    }

    private Optional<Refusal> timeRefusal(TokenShape.Times times, Instant now) {
        Instant latest = now.plus(clockSkew);
        if (times.notBefore().filter(nbf -> nbf.isAfter(latest)).isPresent()) {
            return Optional.of(Refusal.of("token not yet valid"));
        }
        if (times.issuedAt().filter(iat -> iat.isAfter(latest)).isPresent()) {
            return Optional.of(Refusal.of("token issued in the future"));
        }
        if (times.expiry().isEmpty()) {
            return Optional.of(Refusal.of("token without expiry"));
        }
        return Optional.empty();
    }
}
