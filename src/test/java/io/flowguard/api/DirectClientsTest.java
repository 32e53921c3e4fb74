package io.flowguard.api;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.RowCounts;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

/**
 * Clients that reach the service directly: no trusted proxy and no public URL configured. Every
 * request of these tests comes from one address (127.0.0.1), as it would behind a load balancer
 * that is not declared a trusted proxy.
 */
@HelidonTest
class DirectClientsTest {

    /** Burst and period per hour: no budget refills while a test runs. */
    private static final int BURST = 5;
    private static final int PER_HOUR = 8;
    private static final String FORGED = ForgedTokens.rs256(ForgedTokens.rsaKeyPair().getPrivate(),
            ForgedTokens.validClaims("mallory", "flow-user", "flow-admin"));
    /** What an attacker sends: no credentials, a malformed token, another scheme, a well-formed token signed by another key. */
    private static final List<String> GARBAGE = List.of("", "Bearer not.a.token", "Basic Zm9vOmJhcg==", "Bearer " + FORGED);

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.put("flowguard.rate-limit.requests", Integer.toString(PER_HOUR));
        values.put("flowguard.rate-limit.period", "PT1H");
        values.put("flowguard.rate-limit.burst", Integer.toString(BURST));
        values.put("flowguard.rate-limit.burst-period", "PT1H");
        return new MapConfigSource("direct", values);
    }

    @Inject
    WebTarget target;

    private Response flows(String authorization, Map<String, String> headers) {
        Invocation.Builder request = target.path("/flows").request();
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        return request.get();
    }

    private static void assertRateLimited(Response r, String what) {
        assertThat(what, r.getStatus(), is(429));
        assertThat(what, r.getMediaType().toString(), is("application/problem+json"));
        assertThat(what, r.getHeaderString("X-Content-Type-Options"), is("nosniff"));
        assertThat(what + ": no challenge to try another token", r.getHeaderString("WWW-Authenticate"), is((String) null));
        assertThat(what, r.readEntity(String.class), containsString("urn:flowguard:problem:rate-limited"));
        int retryAfter = Integer.parseInt(r.getHeaderString("Retry-After"));
        assertThat(what, retryAfter, greaterThan(0));
        assertThat(what, retryAfter, lessThanOrEqualTo(3600));
    }

    /** Sends failing requests until the address is refused; returns how many were needed. */
    private int drainAddress() {
        for (int i = 1; i <= 4 * BURST; i++) {
            try (Response r = flows("Bearer not.a.token", Map.of())) {
                if (r.getStatus() == 429) {
                    return i;
                }
                assertThat(r.getStatus(), is(401));
            }
        }
        throw new AssertionError("the address was never refused");
    }

    @Test
    void aThousandFailedLoginsFromOneAddressDoNotLockOutAValidSubjectFromIt() {
        Map<Integer, Integer> statuses = new TreeMap<>();
        long started = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            try (Response r = flows(GARBAGE.get(i % GARBAGE.size()), Map.of())) {
                statuses.merge(r.getStatus(), 1, Integer::sum);
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("failed logins: 1000 garbage requests from one address in " + millis + " ms: " + statuses);
        assertThat("only refusals " + statuses, statuses.keySet().stream().allMatch(s -> s == 401 || s == 429), is(true));
        assertThat("at most the burst was answered 401 " + statuses, statuses.getOrDefault(401, 0) <= BURST, is(true));

        String valid = TestTokens.token("lockout-" + UUID.randomUUID(), "flow-user");
        for (int i = 1; i <= BURST; i++) {
            try (Response r = flows("Bearer " + valid, Map.of())) {
                assertThat("a valid subject's request " + i + " is served", r.getStatus(), is(200));
            }
        }
        try (Response r = flows("Bearer " + valid, Map.of())) {
            assertRateLimited(r, "the subject's own budget still holds");
        }
        for (String garbage : GARBAGE) {
            try (Response r = flows(garbage, Map.of())) {
                assertRateLimited(r, "garbage still refused: " + garbage.split(" ")[0]);
            }
        }
        RowCounts before = RowCounts.of("mallory");
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + FORGED)
                .post(Entity.json("{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"x\",\"estimatedCost\":1}}"))) {
            assertRateLimited(r, "a forged start");
        }
        assertThat(RowCounts.of("mallory"), is(before));
    }

    @Test
    void aSpoofedForwardingHeaderDoesNotGiveAFailingClientANewBudget() {
        drainAddress();
        for (int i = 0; i < 3; i++) {
            String spoofed = "198.18.0." + (i + 1);
            try (Response r = flows("Bearer not.a.token", Map.of("X-Forwarded-For", spoofed))) {
                assertRateLimited(r, "X-Forwarded-For " + spoofed);
            }
            try (Response r = flows("Bearer not.a.token", Map.of("Forwarded", "for=" + spoofed))) {
                assertRateLimited(r, "Forwarded for=" + spoofed);
            }
        }
    }

    @Test
    void aLocationNeverNamesTheHostTheRequestClaimed() {
        String owner = "location-" + UUID.randomUUID();
        URI base = target.getUri();
        RawSocket.Reply reply = RawSocket.send(base, "POST /executions HTTP/1.1\r\n"
                + "Host: evil.example\r\n"
                + "X-Forwarded-Host: evil.example\r\n"
                + "X-Forwarded-Proto: https\r\n"
                + "Forwarded: host=evil.example;proto=https\r\n"
                + "Authorization: Bearer " + TestTokens.token(owner, "flow-user") + "\r\n"
                + "Content-Type: application/json\r\n",
                "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"links\",\"estimatedCost\":10}}");
        assertThat(reply.status(), is(201));
        Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(reply.body());
        assertThat(reply.body(), id.find(), is(true));
        assertThat(reply.header("Location"), is("/executions/" + id.group(1)));
        assertThat(RowCounts.of(owner).get("executions"), is(1L));

        RawSocket.Reply openApi = RawSocket.send(base, "GET /openapi HTTP/1.1\r\nHost: evil.example\r\n"
                + "X-Forwarded-Host: evil.example\r\nAccept: application/json\r\n", null);
        assertThat(openApi.status(), is(200));
        assertThat(openApi.body(), not(containsString("evil.example")));
    }
}
