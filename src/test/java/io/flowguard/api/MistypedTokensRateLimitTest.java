package io.flowguard.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Tokens of the wrong shape are failed authentications like any other: they use up the client
 * address's budget (a burst of 5 here), so the one after is a 429 before any token is read.
 */
@HelidonTest
class MistypedTokensRateLimitTest {

    @AddConfigSource
    static ConfigSource config() {
        return new MapConfigSource("mistyped-rate", RateLimitTest.limits());
    }

    @Inject
    WebTarget target;

    private static String withClaim(String name, Object value) {
        Map<String, Object> claims = new LinkedHashMap<>(ForgedTokens.validClaims("mistyped", "flow-user"));
        claims.put(name, value);
        return ForgedTokens.rs256(TestTokens.KEYS.privateKey(), claims);
    }

    @Test
    void fiveMistypedTokensUseUpTheAddressBurstAndTheSixthRequestIs429() {
        List<String> burst = List.of(withClaim("exp", "tomorrow"), withClaim("iat", 1.5e9), withClaim("nbf", 1e20),
                withClaim("groups", "flow-admin"), withClaim("groups", Map.of("flow-admin", true)));
        List<Integer> statuses = new ArrayList<>();
        for (String token : burst) {
            try (Response r = target.path("/flows").request().header("Authorization", "Bearer " + token).get()) {
                statuses.add(r.getStatus());
            }
        }
        assertThat(statuses, is(List.of(401, 401, 401, 401, 401)));
        try (Response r = target.path("/flows").request()
                .header("Authorization", "Bearer " + withClaim("exp", -1)).get()) {
            assertThat(r.getStatus(), is(429));
            assertThat(r.readEntity(String.class).contains("urn:flowguard:problem:rate-limited"), is(true));
        }
    }
}
