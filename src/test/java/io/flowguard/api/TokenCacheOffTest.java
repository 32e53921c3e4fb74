package io.flowguard.api;

import java.util.HashMap;
import java.util.Map;

import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** {@code flowguard.security.token-cache.size=0}: no cache at all, every token verified, as before there was one. */
@HelidonTest
class TokenCacheOffTest {

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.put("flowguard.security.token-cache.size", "0");
        return new MapConfigSource("cache-off", values);
    }

    @Inject
    WebTarget target;
    @Inject
    MeterRegistry meters;

    private int status(String token) {
        try (Response r = target.path("/flows").request().header("Authorization", "Bearer " + token).get()) {
            r.readEntity(String.class);
            return r.getStatus();
        }
    }

    @Test
    void tokensAreVerifiedEveryTimeAndNoCacheIsCounted() {
        String token = TestTokens.token("cache-off", "flow-user");
        assertThat(status(token), is(200));
        assertThat(status(token), is(200));
        assertThat(status(TokenCacheTest.changedAt(token, token.length() / 2)), is(401));
        assertThat(meters.find("cache.gets").tag("cache", "token-cache").functionCounter(), is(nullValue()));
    }
}
