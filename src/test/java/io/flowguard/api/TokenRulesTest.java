package io.flowguard.api;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.flowguard.security.TokenPolicy;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Flowguard's own token rules ({@link TokenPolicy#refusal}) alone, at a fixed instant: which
 * algorithms go on to verification, and where the clock skew ends for {@code nbf} and {@code iat},
 * to the second. Through the server most of these tokens are a 401 whether the rule holds or not
 * (MicroProfile JWT refuses HMAC, {@code none}, RS384 and tokens without expiry too), so only the
 * rule's own reason shows that the rule, not the verifier behind it, refused them.
 */
class TokenRulesTest {

    private static final Instant NOW = Instant.ofEpochSecond(1_900_000_000L);
    private static final PrivateKey KEY = TestTokens.KEYS.privateKey();
    private static final String WRONG_ALGORITHM = "algorithm not accepted";

    private static TokenPolicy policy(int skewSeconds) {
        return new TokenPolicy(TestTokens.ISSUER, List.of(TestTokens.AUDIENCE), Duration.ofSeconds(skewSeconds));
    }

    /** Valid claims at {@link #NOW}: issued and valid from now, for five minutes. */
    private static Map<String, Object> claims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", TestTokens.ISSUER);
        claims.put("aud", TestTokens.AUDIENCE);
        claims.put("sub", "rules");
        claims.put("groups", List.of("flow-user"));
        claims.put("iat", NOW.getEpochSecond());
        claims.put("nbf", NOW.getEpochSecond());
        claims.put("exp", NOW.getEpochSecond() + 300);
        return claims;
    }

    private static Map<String, Object> claims(String name, Object value) {
        Map<String, Object> claims = claims();
        if (value == null) {
            claims.remove(name);
        } else {
            claims.put(name, value);
        }
        return claims;
    }

    private static String reason(TokenPolicy policy, String token) {
        return policy.refusal(token, NOW).map(TokenPolicy.Refusal::reason).orElse("accepted");
    }

    /** A token whose header names {@code alg}, signed by the trusted key (the rule reads the header, not the signature). */
    private static String claimingAlgorithm(Object alg) {
        Map<String, Object> header = ForgedTokens.header("RS256");
        if (alg == null) {
            header.remove("alg");
        } else {
            header.put("alg", alg);
        }
        return ForgedTokens.sign("SHA256withRSA", KEY, header, claims());
    }

    @Test
    void onlyRs256AndEs256GoOnToVerification() throws Exception {
        assertThat(reason(policy(60), ForgedTokens.rs256(KEY, claims())), is("accepted"));
        assertThat(reason(policy(60), ForgedTokens.es256(ForgedTokens.ecKeyPair().getPrivate(), claims())), is("accepted"));

        Map<String, String> refused = new LinkedHashMap<>();
        byte[] publicPem = Files.readString(TestTokens.PUBLIC_KEY_FILE).getBytes(StandardCharsets.US_ASCII);
        refused.put("HS256 keyed with the public key PEM", ForgedTokens.hs256(publicPem, claims()));
        refused.put("HS256 keyed with the public key DER", ForgedTokens.hs256(TestTokens.KEYS.publicKey().getEncoded(), claims()));
        refused.put("none, unsigned", ForgedTokens.unsigned(ForgedTokens.header("none"), claims()));
        refused.put("RS384 by the trusted key", ForgedTokens.sign("SHA384withRSA", KEY, ForgedTokens.header("RS384"), claims()));
        for (String alg : new String[] {"none", "None", "NONE", "HS256", "HS384", "HS512", "RS384", "RS512", "PS256",
                "PS384", "PS512", "ES384", "ES512", "ES256K", "EdDSA", "rs256", "RS256 ", "es256", ""}) {
            refused.put("alg '" + alg + "'", claimingAlgorithm(alg));
        }
        refused.put("no alg", claimingAlgorithm(null));
        refused.put("alg a number", claimingAlgorithm(256));
        refused.put("alg a list", claimingAlgorithm(List.of("RS256")));

        List<String> wrong = new ArrayList<>();
        refused.forEach((name, token) -> {
            String reason = reason(policy(60), token);
            if (!reason.equals(WRONG_ALGORITHM)) {
                wrong.add(name + ": " + reason);
            }
        });
        assertThat(String.join("\n", wrong), wrong.isEmpty(), is(true));
    }

    @Test
    void notBeforeAndIssuedAtMayLieInTheFutureByTheClockSkewAndNotASecondMore() {
        for (int skew : new int[] {60, 10, 0}) {
            long edge = NOW.getEpochSecond() + skew;
            TokenPolicy policy = policy(skew);
            String at = " (skew " + skew + " s)";
            assertThat("nbf at the skew" + at, reason(policy, ForgedTokens.rs256(KEY, claims("nbf", edge))), is("accepted"));
            assertThat("nbf a second past it" + at, reason(policy, ForgedTokens.rs256(KEY, claims("nbf", edge + 1))),
                    is("token not yet valid"));
            assertThat("iat at the skew" + at, reason(policy, ForgedTokens.rs256(KEY, claims("iat", edge))), is("accepted"));
            assertThat("iat a second past it" + at, reason(policy, ForgedTokens.rs256(KEY, claims("iat", edge + 1))),
                    is("token issued in the future"));
        }
        assertThat("nbf in the past", reason(policy(0), ForgedTokens.rs256(KEY,
                claims("nbf", NOW.getEpochSecond() - 3600))), is("accepted"));
    }

    @Test
    void aTokenWithoutExpiryIsRefusedByTheRuleItself() {
        assertThat(reason(policy(60), ForgedTokens.rs256(KEY, claims("exp", null))), is("token without expiry"));
        Optional<TokenPolicy.Refusal> refusal = policy(60).refusal(ForgedTokens.rs256(KEY, claims("exp", null)), NOW);
        assertThat("the caller learns nothing more", refusal.orElseThrow().detail(), is(TokenPolicy.Refusal.GENERIC));
    }
}
