package io.flowguard.api;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.flowguard.http.SecurityAudit;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/** Rate limits through the real server: per subject, per address for bad tokens, and a capped key store. */
@HelidonTest
class RateLimitTest {

    @AddConfigSource
    static ConfigSource config() {
        return new MapConfigSource("rate", limits());
    }

    /**
     * The tokens' keys and the small limits the rate-limit tests count against: 8 requests, a
     * burst of 5 per 10 s.
     */
    static Map<String, String> limits() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.put("flowguard.rate-limit.requests", "8");
        values.put("flowguard.rate-limit.burst", "5");
        values.put("flowguard.rate-limit.burst-period", "PT10S");
        return values;
    }

    @Inject
    WebTarget target;
    @Inject
    RateLimiter limiter;
    @Inject
    MeterRegistry meters;
    @Inject
    @ConfigProperty(name = "flowguard.rate-limit.max-keys", defaultValue = "20000")
    int maxKeys;
    @Inject
    SecurityAudit audit;

    private Response flows(String token) {
        var request = target.path("/flows").request();
        return token == null ? request.get() : request.header("Authorization", "Bearer " + token).get();
    }

    @Test
    void aSubjectGetsItsBurstThen429WithRetryAfterAndOthersAreUnaffected() {
        String alice = TestTokens.token("rate-" + UUID.randomUUID(), "flow-user");
        double limitedBefore = audit.count(SecurityAudit.Kind.RATE_LIMITED);
        for (int i = 0; i < 5; i++) {
            try (Response r = flows(alice)) {
                assertThat("request " + (i + 1), r.getStatus(), is(200));
            }
        }
        try (Response r = flows(alice)) {
            assertThat(r.getStatus(), is(429));
            assertThat(r.getMediaType().toString(), is("application/problem+json"));
            assertThat(r.readEntity(String.class), containsString("urn:flowguard:problem:rate-limited"));
            int retryAfter = Integer.parseInt(r.getHeaderString("Retry-After"));
            assertThat(retryAfter, greaterThan(0));
            assertThat(retryAfter, lessThanOrEqualTo(10));
        }
        try (Response r = flows(TestTokens.token("rate-other-" + UUID.randomUUID(), "flow-user"))) {
            assertThat("another subject has its own budget", r.getStatus(), is(200));
        }
        assertThat(audit.count(SecurityAudit.Kind.RATE_LIMITED), is(limitedBefore + 1));
    }

    /**
     * The refusal is what /openapi declares for every operation's 429: a problem with Retry-After.
     * (How many requests pass first is the test above's business: checking each answer takes time
     * in which the burst refills, so this one asks until it is refused, within the 8 a minute.)
     */
    @Test
    void aRateLimitedAnswerIsTheDocumentedProblem() {
        ApiContract contract = ApiContract.of(target.getUri());
        String hasty = TestTokens.token("rate-documented-" + UUID.randomUUID(), "flow-user");
        ApiContract.Answer answer = contract.send(ApiContract.get("/flows").token(hasty));
        for (int i = 0; i < 12 && answer.status() == 200; i++) {
            answer = contract.send(ApiContract.get("/flows").token(hasty));
        }
        assertThat(answer.status(), is(429));
        assertThat(answer.body(), containsString("urn:flowguard:problem:rate-limited"));
        assertThat(Integer.parseInt(answer.header("Retry-After")), greaterThan(0));
    }

    @Test
    void failedAuthenticationsCountAgainstTheAddressAndOverItAre429() {
        int unauthorized = 0;
        int limited = 0;
        for (int i = 0; i < 12; i++) {
            try (Response r = flows("not.a.token")) {
                if (r.getStatus() == 401) {
                    unauthorized++;
                } else if (r.getStatus() == 429) {
                    limited++;
                    assertThat(r.getHeaderString("Retry-After") != null, is(true));
                }
            }
        }
        assertThat(unauthorized, is(5));
        assertThat(limited, is(7));
        try (Response refused = target.path("/flows").request().get()) {
            assertThat("no token from that address is refused too", refused.getStatus(), is(429));
        }
        for (String probe : new String[] {"/health/live", "/health/ready", "/health"}) {
            try (Response r = target.path(probe).request().get()) {
                assertThat("a platform probe from that address: " + probe, r.getStatus(), is(200));
            }
        }
    }

    @Test
    void theKeyStoreStaysCappedWhateverTheNumberOfKeys() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long before = runtime.totalMemory() - runtime.freeMemory();
        for (int i = 0; i < 100_000; i++) {
            limiter.take("subject:flood-" + i);
        }
        long held = (long) meters.get("flowguard.rate.limit.keys").gauge().value();
        System.gc();
        long after = runtime.totalMemory() - runtime.freeMemory();
        System.out.println("rate limiter: 100000 keys offered, " + held + " held (cap " + maxKeys
                + "), heap growth about " + Math.max(0, (after - before) / 1024) + " KiB");
        assertThat(held <= maxKeys, is(true));
        assertThat(held > 0, is(true));
    }
}
