package io.flowguard.api;

import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.flowguard.http.SecurityAudit;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The service behind a reverse proxy on 127.0.0.1 (the test client's own address), declared in
 * {@code flowguard.http.trusted-proxies}, with {@code flowguard.http.public-url} configured.
 */
@HelidonTest
class BehindAProxyTest {

    private static final int BURST = 5;
    private static final String PUBLIC_URL = "https://flows.example.com/api";

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.put("flowguard.rate-limit.requests", "8");
        values.put("flowguard.rate-limit.period", "PT1H");
        values.put("flowguard.rate-limit.burst", Integer.toString(BURST));
        values.put("flowguard.rate-limit.burst-period", "PT1H");
        values.put("flowguard.http.trusted-proxies", "10.99.0.0/16, 127.0.0.1/32, 2001:db8:ffff::/48");
        values.put("flowguard.http.public-url", PUBLIC_URL + "/");
        return new MapConfigSource("proxy", values);
    }

    @Inject
    WebTarget target;

    private AuditLines audit;

    @BeforeEach
    void listen() {
        audit = AuditLines.listen();
    }

    @AfterEach
    void stop() {
        audit.close();
    }

    /** An address of the benchmarking block 198.18.0.0/15 no other test uses. */
    private static String someClient() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "198." + (18 + random.nextInt(2)) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    private int badLogin(String header, String value) {
        Invocation.Builder request = target.path("/flows").request().header("Authorization", "Bearer not.a.token");
        if (header != null) {
            request.header(header, value);
        }
        try (Response r = request.get()) {
            return r.getStatus();
        }
    }

    /** @return the client of the last audit line */
    private String auditedClient() {
        String line = audit.all().getLast();
        return Json.createReader(new StringReader(line)).readObject().getString("client");
    }

    @Test
    void eachForwardedClientHasItsOwnFailureBudgetAndIsTheAuditedClient() {
        String mallory = someClient();
        for (int i = 1; i <= BURST; i++) {
            assertThat("failure " + i + " of " + mallory, badLogin("X-Forwarded-For", mallory), is(401));
            assertThat(auditedClient(), is(mallory));
        }
        assertThat("over the cap", badLogin("X-Forwarded-For", mallory), is(429));
        assertThat(auditedClient(), is(mallory));

        String other = someClient();
        assertThat("another client behind the same proxy", badLogin("X-Forwarded-For", other), is(401));
        assertThat(auditedClient(), is(other));
        assertThat("and through another trusted proxy", badLogin("X-Forwarded-For", mallory + ", 10.99.3.4"), is(429));
    }

    @Test
    void theClientIsTheRightmostHopThatIsNotATrustedProxy() {
        String client = someClient();
        badLogin("X-Forwarded-For", "203.0.113.66, " + client + ", 10.99.0.7");
        assertThat("the hop a client wrote itself is not believed", auditedClient(), is(client));

        badLogin("Forwarded", "for=203.0.113.66, for=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.99.1.1");
        assertThat(auditedClient(), is("2001:db8:cafe:0:0:0:0:17"));

        badLogin("X-Forwarded-For", "10.99.0.8, 10.99.0.7");
        assertThat("every hop a trusted proxy: the first", auditedClient(), is("10.99.0.8"));

        badLogin("X-Forwarded-For", "unknown");
        assertThat("an unreadable hop: the peer", auditedClient(), is("127.0.0.1"));
    }

    @Test
    void aLocationStartsWithThePublicUrlWhateverTheRequestSaysItsHostIs() {
        RawSocket.Reply reply = RawSocket.send(target.getUri(), "POST /executions HTTP/1.1\r\n"
                + "Host: evil.example\r\n"
                + "X-Forwarded-Host: evil.example\r\n"
                + "X-Forwarded-Proto: http\r\n"
                + "Forwarded: host=evil.example;proto=http\r\n"
                + "Authorization: Bearer " + TestTokens.token("proxied-" + UUID.randomUUID(), "flow-user") + "\r\n"
                + "Content-Type: application/json\r\n",
                "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"links\",\"estimatedCost\":10}}");
        assertThat(reply.status(), is(201));
        Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(reply.body());
        assertThat(reply.body(), id.find(), is(true));
        assertThat(reply.header("Location"), is(PUBLIC_URL + "/executions/" + id.group(1)));
    }
}
