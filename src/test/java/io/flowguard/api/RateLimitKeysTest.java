package io.flowguard.api;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

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
 * What a request is counted against, all from one client address: a valid token against its
 * subject only (so it neither spends nor is refused by its address's budget: failed logins behind
 * a shared address never lock the real users out), anything else against the address. A burst of
 * 3 that refills in an hour, so nothing refills while the test runs.
 */
@HelidonTest
class RateLimitKeysTest {

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.put("flowguard.rate-limit.requests", "100");
        values.put("flowguard.rate-limit.period", "PT1H");
        values.put("flowguard.rate-limit.burst", "3");
        values.put("flowguard.rate-limit.burst-period", "PT1H");
        return new MapConfigSource("rate-keys", values);
    }

    @Inject
    WebTarget target;

    /** @return the status of a read of the flows, with this Authorization header (null: none) */
    private int flows(String authorization) {
        var request = target.path("/flows").request();
        if (authorization != null) {
            request = request.header("Authorization", authorization);
        }
        try (Response r = request.get()) {
            if (r.getStatus() == 429) {
                assertThat(r.readEntity(String.class).contains("urn:flowguard:problem:rate-limited"), is(true));
            }
            return r.getStatus();
        }
    }

    @Test
    void aValidTokenCountsAgainstItsSubjectOnlyAndAnythingElseAgainstTheAddress() {
        String alice = "Bearer " + TestTokens.token("keys-alice-" + UUID.randomUUID(), "flow-user");
        String bob = "Bearer " + TestTokens.token("keys-bob-" + UUID.randomUUID(), "flow-user");
        String forged = "Bearer not.a.token";
        for (int i = 1; i <= 3; i++) {
            assertThat("alice's request " + i, flows(alice), is(200));
        }
        assertThat("alice's burst is spent", flows(alice), is(429));

        for (int i = 1; i <= 3; i++) {
            assertThat("failed login " + i + ": alice's requests took nothing from the address", flows(forged), is(401));
        }
        assertThat("the address's budget for failures is spent", flows(forged), is(429));
        assertThat("a request without a token from it is refused before anything", flows(null), is(429));

        assertThat("a valid token from that address is not locked out", flows(bob), is(200));
        assertThat("alice is still over her own budget", flows(alice), is(429));
    }
}
