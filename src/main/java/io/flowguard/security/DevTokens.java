package io.flowguard.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkRSA;

/** Mints RS256 tokens with the dev key pair, shaped exactly as the service verifies them. */
public final class DevTokens {

    private DevTokens() {
    }

    /**
     * @param keys     the dev key pair
     * @param issuer   the issuer the service expects
     * @param audience the audience the service expects
     * @param subject  the subject (owner of executions, recorded answerer)
     * @param groups   roles: flow-user, flow-admin, agent:&lt;role&gt;
     * @param lifetime how long the token is valid
     * @return the compact token
     */
    public static String mint(DevKeys keys, String issuer, String audience, String subject, List<String> groups,
                              Duration lifetime) {
        Instant now = Instant.now();
        Jwt jwt = Jwt.builder()
                .issuer(issuer)
                .addAudience(audience)
                .subject(subject)
                .addPayloadClaim("upn", subject)
                .addPayloadClaim("groups", List.copyOf(groups))
                .issueTime(now)
                .notBefore(now)
                .expirationTime(now.plus(lifetime))
                .keyId("flowguard-dev")
                .algorithm(JwkRSA.ALG_RS256)
                .build();
        JwkRSA jwk = JwkRSA.builder().privateKey(keys.privateKey()).publicKey(keys.publicKey())
                .algorithm(JwkRSA.ALG_RS256).keyId("flowguard-dev").build();
        return SignedJwt.sign(jwt, jwk).tokenContent();
    }
}
