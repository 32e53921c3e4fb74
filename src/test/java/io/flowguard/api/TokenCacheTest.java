package io.flowguard.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * The cache of verified tokens through the real server: a token sent again is served from the
 * cache on every endpoint (counted as a hit), and a cached token with one character changed, in
 * its header, its payload or its signature, is another token: a 401 problem, never a hit. The
 * cache's time rules on its own clock are {@code io.flowguard.security.CachedVerificationTest}'s.
 */
@HelidonTest
class TokenCacheTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;
    @Inject
    MeterRegistry meters;

    private double gets(String result) {
        FunctionCounter counter = meters.find("cache.gets").tags("cache", "token-cache", "result", result).functionCounter();
        return counter == null ? -1 : counter.count();
    }

    private Response get(String path, String token) {
        return target.path(path).request().header("Authorization", "Bearer " + token).get();
    }

    private int status(String path, String token) {
        try (Response r = get(path, token)) {
            r.readEntity(String.class);
            return r.getStatus();
        }
    }

    private static String nimbusToken(String subject) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
                    new Payload(JSON.writeValueAsString(ForgedTokens.validClaims(subject, "flow-user"))));
            jws.sign(new RSASSASigner(TestTokens.KEYS.privateKey()));
            return jws.serialize();
        } catch (JOSEException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aTokenSentAgainIsServedFromTheCacheOnEveryEndpointWhicheverLibraryMintedIt() {
        for (String token : List.of(TestTokens.token("cache-user", "flow-user"), nimbusToken("cache-nimbus"))) {
            double hits = gets("hit");
            double misses = gets("miss");
            assertThat(status("/flows", token), is(200));
            assertThat("the first request verifies", gets("miss"), is(misses + 1));
            assertThat(status("/flows", token), is(200));
            assertThat(status("/executions", token), is(200));
            assertThat("the next ones are served from the cache", gets("hit"), is(hits + 2));
            assertThat(gets("miss"), is(misses + 1));
        }
    }

    @Test
    void aCachedTokenWithOneCharacterChangedInItsHeaderPayloadOrSignatureIsA401AndNoHit() {
        String token = TestTokens.token("cache-changed", "flow-user");
        assertThat(status("/flows", token), is(200));
        int payload = token.indexOf('.') + 1;
        int signature = token.lastIndexOf('.') + 1;
        Map<String, Integer> positions = Map.of("header", 3, "payload start", payload,
                "payload middle", (payload + signature) / 2, "signature start", signature,
                "signature middle", (signature + token.length()) / 2, "signature end", token.length() - 1);
        List<String> wrong = new ArrayList<>();
        double hits = gets("hit");
        positions.forEach((where, i) -> {
            try (Response r = get("/flows", changedAt(token, i))) {
                String body = r.readEntity(String.class);
                if (r.getStatus() != 401 || !body.contains("urn:flowguard:problem:unauthenticated")) {
                    wrong.add(where + ": " + r.getStatus());
                }
            }
        });
        assertThat(wrong, is(empty()));
        assertThat("no changed token was a hit", gets("hit"), is(hits));
        assertThat("the original is still served", status("/flows", token), is(200));
        assertThat(gets("hit"), is(hits + 1));
    }

    @Test
    void aTokenTheRulesRefuseIsRefusedEveryTimeNeverCachedByTheVerifierWhichDoesNotCheckNbf() {
        Map<String, Object> claims = new LinkedHashMap<>(ForgedTokens.validClaims("cache-early", "flow-user"));
        claims.put("nbf", Instant.now().getEpochSecond() + 3600);
        String early = ForgedTokens.rs256(TestTokens.KEYS.privateKey(), claims);
        double hits = gets("hit");
        for (int i = 0; i < 2; i++) {
            try (Response r = get("/flows", early)) {
                assertThat(r.getStatus(), is(401));
                assertThat(r.readEntity(String.class), containsString("unauthenticated"));
            }
        }
        assertThat(gets("hit"), is(hits));
    }

    /** Replaces the character at {@code i} by one whose 6 bits differ in the highest, so the decoded bytes differ. */
    static String changedAt(String token, int i) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char replacement = alphabet.charAt(alphabet.indexOf(token.charAt(i)) ^ 32);
        return token.substring(0, i) + replacement + token.substring(i + 1);
    }
}
