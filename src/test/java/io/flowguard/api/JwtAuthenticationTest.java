package io.flowguard.api;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.RowCounts;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Authentication through the real server: every kind of bad token is a 401 problem and writes
 * nothing; tokens inside the 60 s clock skew still pass.
 */
@HelidonTest
class JwtAuthenticationTest {

    private static final String START = "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"x\",\"estimatedCost\":1}}";
    private static final PrivateKey KEY = TestTokens.KEYS.privateKey();
    /** Every subject a forged token here names: were one let in, it would write as them. */
    private static final String[] FORGED_SUBJECTS = {"mallory", "root"};

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    private static Map<String, Object> claims(UnaryOperator<Map<String, Object>> change) {
        return change.apply(new LinkedHashMap<>(ForgedTokens.validClaims("mallory", "flow-user", "flow-admin")));
    }

    private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        if (value == null) {
            claims.remove(name);
        } else {
            claims.put(name, value);
        }
        return claims;
    }

    private static long now(long plusSeconds) {
        return Instant.now().getEpochSecond() + plusSeconds;
    }

    /** Every bad way to authenticate, by the header value sent (null: no header). */
    private static Map<String, String> badAuthorizations() throws Exception {
        String publicPem = Files.readString(TestTokens.PUBLIC_KEY_FILE);
        String valid = ForgedTokens.rs256(KEY, claims(c -> c));
        String[] parts = valid.split("\\.");
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("no Authorization header", null);
        cases.put("empty bearer", "Bearer ");
        cases.put("not a JWT", "Bearer abc");
        cases.put("three garbage parts", "Bearer a.b.c");
        cases.put("Basic scheme", "Basic bWFsbG9yeTpwYXNzd29yZA==");
        cases.put("token without scheme", valid);
        cases.put("alg none, no signature", "Bearer " + ForgedTokens.unsigned(ForgedTokens.header("none"), claims(c -> c)));
        Map<String, Object> noneWithKid = ForgedTokens.header("none");
        noneWithKid.put("kid", "flowguard-dev");
        cases.put("alg none with the key's kid", "Bearer " + ForgedTokens.unsigned(noneWithKid, claims(c -> c)));
        cases.put("alg none with the RS256 signature kept",
                "Bearer " + ForgedTokens.signingInput(ForgedTokens.header("none"), claims(c -> c)) + "." + parts[2]);
        cases.put("HS256 keyed with the public key PEM",
                "Bearer " + ForgedTokens.hs256(publicPem.getBytes(StandardCharsets.US_ASCII), claims(c -> c)));
        cases.put("HS256 keyed with the public key DER",
                "Bearer " + ForgedTokens.hs256(TestTokens.KEYS.publicKey().getEncoded(), claims(c -> c)));
        cases.put("signed by another RSA key",
                "Bearer " + ForgedTokens.rs256(ForgedTokens.rsaKeyPair().getPrivate(), claims(c -> c)));
        cases.put("RS384 with the right key",
                "Bearer " + ForgedTokens.sign("SHA384withRSA", KEY, ForgedTokens.header("RS384"), claims(c -> c)));
        cases.put("payload swapped after signing", "Bearer " + parts[0] + "."
                + ForgedTokens.signingInput(ForgedTokens.header("RS256"), claims(c -> with(c, "sub", "root"))).split("\\.")[1]
                + "." + parts[2]);
        cases.put("signature truncated", "Bearer " + parts[0] + "." + parts[1] + "." + parts[2].substring(0, 20));
        cases.put("expired 2 minutes ago", "Bearer " + ForgedTokens.rs256(KEY,
                claims(c -> with(with(with(c, "iat", now(-300)), "nbf", now(-300)), "exp", now(-120)))));
        cases.put("no expiry", "Bearer " + ForgedTokens.rs256(KEY, claims(c -> with(c, "exp", null))));
        cases.put("not before 2 minutes from now", "Bearer " + ForgedTokens.rs256(KEY, claims(c -> with(c, "nbf", now(120)))));
        cases.put("issued 2 minutes in the future", "Bearer " + ForgedTokens.rs256(KEY, claims(c -> with(c, "iat", now(120)))));
        // 5 s past the 60 s skew: a request takes far less than the 5 s these margins leave
        cases.put("expired 65 s ago", "Bearer " + ForgedTokens.rs256(KEY,
                claims(c -> with(with(with(c, "iat", now(-300)), "nbf", now(-300)), "exp", now(-65)))));
        cases.put("not before 65 s from now", "Bearer " + ForgedTokens.rs256(KEY, claims(c -> with(c, "nbf", now(65)))));
        cases.put("issued 65 s in the future", "Bearer " + ForgedTokens.rs256(KEY, claims(c -> with(c, "iat", now(65)))));
        cases.put("wrong issuer", "Bearer " + ForgedTokens.rs256(KEY, claims(c -> with(c, "iss", "https://evil.example"))));
        cases.put("no issuer", "Bearer " + ForgedTokens.rs256(KEY, claims(c -> with(c, "iss", null))));
        cases.put("wrong audience", "Bearer " + ForgedTokens.rs256(KEY, claims(c -> with(c, "aud", "another-service"))));
        cases.put("no audience", "Bearer " + ForgedTokens.rs256(KEY, claims(c -> with(c, "aud", null))));
        cases.put("no subject", "Bearer " + ForgedTokens.rs256(KEY, claims(c -> with(with(c, "sub", null), "upn", null))));
        return cases;
    }

    @Test
    void everyBadTokenIsRefusedWith401AndWritesNothing() throws Exception {
        Map<String, String> cases = badAuthorizations();
        List<String> failed = new java.util.ArrayList<>();
        for (Map.Entry<String, String> c : cases.entrySet()) {
            try {
                refused(c.getValue());
            } catch (AssertionError e) {
                failed.add(c.getKey() + ": " + e.getMessage().strip());
            }
        }
        System.out.println("authentication: " + (cases.size() - failed.size()) + " bad tokens refused, "
                + failed.size() + " not");
        assertThat(String.join("\n", failed), failed.isEmpty(), is(true));
    }

    private void refused(String authorization) {
        {
            RowCounts before = RowCounts.of(FORGED_SUBJECTS);
            var post = target.path("/executions").request();
            var get = target.path("/executions").request();
            if (authorization != null) {
                post = post.header("Authorization", authorization);
                get = get.header("Authorization", authorization);
            }
            try (Response r = post.post(Entity.json(START))) {
                assertUnauthenticated(r);
            }
            try (Response r = get.get()) {
                assertUnauthenticated(r);
            }
            assertThat("nothing written", RowCounts.of(FORGED_SUBJECTS), is(before));
        }
    }

    @Test
    void aTokenInACookieOrTheQueryNeverAuthenticates() {
        String valid = ForgedTokens.rs256(KEY, claims(c -> c));
        RowCounts before = RowCounts.of(FORGED_SUBJECTS);
        try (Response r = target.path("/executions").request().cookie("Bearer", valid).post(Entity.json(START))) {
            assertUnauthenticated(r);
        }
        try (Response r = target.path("/executions").request().cookie("Authorization", "Bearer " + valid)
                .post(Entity.json(START))) {
            assertUnauthenticated(r);
        }
        try (Response r = target.path("/executions").queryParam("access_token", valid).request()
                .post(Entity.json(START))) {
            assertUnauthenticated(r);
        }
        assertThat(RowCounts.of(FORGED_SUBJECTS), is(before));
    }

    @Test
    void theForgersValidTokenAndTokensWithinTheClockSkewPass() {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("valid", ForgedTokens.rs256(KEY, claims(c -> c)));
        tokens.put("expired 30 s ago", ForgedTokens.rs256(KEY,
                claims(c -> with(with(with(c, "iat", now(-300)), "nbf", now(-300)), "exp", now(-30)))));
        tokens.put("not before 30 s from now", ForgedTokens.rs256(KEY, claims(c -> with(c, "nbf", now(30)))));
        tokens.put("issued 30 s in the future", ForgedTokens.rs256(KEY, claims(c -> with(c, "iat", now(30)))));
        // 5 s inside the 60 s skew
        tokens.put("expired 55 s ago", ForgedTokens.rs256(KEY,
                claims(c -> with(with(with(c, "iat", now(-300)), "nbf", now(-300)), "exp", now(-55)))));
        tokens.put("not before 55 s from now", ForgedTokens.rs256(KEY, claims(c -> with(c, "nbf", now(55)))));
        tokens.put("issued 55 s in the future", ForgedTokens.rs256(KEY, claims(c -> with(c, "iat", now(55)))));
        tokens.put("RS256 with the key's kid",
                ForgedTokens.sign("SHA256withRSA", KEY, kid(ForgedTokens.header("RS256")), claims(c -> c)));
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            try (Response r = target.path("/executions").request()
                    .header("Authorization", "Bearer " + token.getValue()).get()) {
                assertThat(token.getKey(), r.getStatus(), is(200));
            }
        }
    }

    private static Map<String, Object> kid(Map<String, Object> header) {
        header.put("kid", "flowguard-dev");
        return header;
    }

    private static void assertUnauthenticated(Response r) {
        assertThat(r.getStatus(), is(401));
        assertThat(r.getHeaderString("WWW-Authenticate"), startsWith("Bearer"));
        assertThat(r.getMediaType().toString(), is("application/problem+json"));
        String body = r.readEntity(String.class);
        assertThat(body, containsString("\"type\":\"urn:flowguard:problem:unauthenticated\""));
        assertThat(body, not(containsString("Exception")));
        assertThat(body, not(containsString("io.helidon")));
    }
}
