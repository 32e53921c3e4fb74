package io.flowguard.outbound;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.flowguard.engine.graph.AgentRoles;
import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.engine.graph.FlowGraphBuilder;
import io.flowguard.flow.Flow;
import io.flowguard.flow.ServiceCallException;
import io.flowguard.flow.ServiceReply;
import io.flowguard.flow.Start;
import io.flowguard.testing.LocalService;
import io.flowguard.testing.MapConfigSource;
import jakarta.enterprise.inject.Vetoed;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Outbound calls against a real local HTTP server: what is retried (connection refused or reset,
 * timeouts) and with which gaps, what is not (any error status), the circuit breaker's open,
 * half-open and closed states, the idempotency key on every attempt, and paths that cannot
 * leave the configured host.
 */
class ServiceCallsTest {

    private static final String KEY = "0b6f3c1e-0000-4000-8000-000000000001:charge";

    /** A flow declaring the billing service, built directly (vetoed from CDI). */
    record S(int n) {
    }

    @Vetoed
    @Flow(name = "test-billing", input = S.class, state = S.class, services = "billing")
    static class BillingFlow {
        @Start
        void charge(S s) {
        }
    }

    private static ServiceDirectory directory(String url, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(extra);
        values.put("flowguard.services.billing.url", url);
        Config config = ConfigProviderResolver.instance().getBuilder()
                .withSources(new MapConfigSource("billing", values)).build();
        FlowDefinition flow = FlowGraphBuilder.build(BillingFlow.class, new BillingFlow(), AgentRoles.of(AgentRoles.DEFAULT));
        return new ServiceDirectory(List.of(flow), config);
    }

    @Test
    void connectionResetTwiceThenSuccessTakesThreeAttemptsWithGrowingGapsAndOneKey() {
        try (LocalService billing = LocalService.start(r -> new LocalService.Reply(201, "{\"invoice\":\"inv-1\"}"))) {
            billing.then(new LocalService.Reset(), new LocalService.Reset());
            ServiceReply reply = directory(billing.url(), Map.of()).post("billing", "/invoices", "{\"amount\":5}", KEY);

            assertThat(reply.status(), is(201));
            assertThat(reply.body(), is("{\"invoice\":\"inv-1\"}"));
            assertThat(reply.attempts(), is(3));
            assertThat(billing.requests(), hasSize(3));
            List<Long> gaps = billing.gapsMillis();
            assertThat("backoff 0.5 s then 1 s: " + gaps, gaps.get(0), greaterThanOrEqualTo(500L));
            assertThat("backoff 0.5 s then 1 s: " + gaps, gaps.get(1), greaterThanOrEqualTo(1000L));
            assertThat(billing.requests().stream().map(LocalService.Request::idempotencyKey).toList(),
                    everyItem(is(KEY)));
            assertThat(billing.requests().get(2).path(), is("/invoices"));
            assertThat(billing.requests().get(2).body(), is("{\"amount\":5}"));
        }
    }

    @Test
    void refusedTwiceThenListeningSucceedsOnTheThirdAttempt() throws Exception {
        int port = LocalService.closedPort();
        ServiceDirectory services = directory("http://127.0.0.1:" + port, Map.of());
        long started = System.nanoTime();
        CompletableFuture<ServiceReply> call = CompletableFuture.supplyAsync(
                () -> services.post("billing", "/invoices", "{}", KEY));
        // Attempt 1 at once, attempt 2 after 0.5-0.6 s, attempt 3 after a further 1-1.2 s: open in between.
        Thread.sleep(1050);
        try (LocalService billing = LocalService.startOn(port, r -> new LocalService.Reply(200, "{}"))) {
            ServiceReply reply = call.get(30, TimeUnit.SECONDS);
            assertThat(reply.attempts(), is(3));
            assertThat(billing.requests(), hasSize(1));
            assertThat(billing.requests().get(0).idempotencyKey(), is(KEY));
            assertThat(Duration.ofNanos(System.nanoTime() - started).toMillis(), greaterThanOrEqualTo(1500L));
        }
    }

    @Test
    void aServiceThatStaysDownFailsNamingTheServiceAndTheAttempts() {
        ServiceDirectory services = directory("http://127.0.0.1:" + LocalService.closedPort(), Map.of());
        ServiceCallException e = assertThrows(ServiceCallException.class,
                () -> services.post("billing", "/invoices", "{}", KEY));
        assertThat(e.getMessage(), is("service billing unreachable after 3 attempts (connection refused)"));
        assertThat(e.attempts(), is(3));
    }

    @Test
    void theConfiguredRetriesAreAllThereIsToAServiceThatStaysDown() {
        for (int retries : new int[] {0, 1, 4}) {
            ServiceDirectory services = directory("http://127.0.0.1:" + LocalService.closedPort(), Map.of(
                    "flowguard.services.billing.retry.max-retries", Integer.toString(retries),
                    "flowguard.services.billing.retry.delay", "PT0.01S"));
            ServiceCallException e = assertThrows(ServiceCallException.class,
                    () -> services.post("billing", "/invoices", "{}", KEY));
            assertThat("max-retries " + retries, e.attempts(), is(retries + 1));
        }
        try (LocalService billing = LocalService.start(r -> new LocalService.Reply(200, "{}"))) {
            billing.then(new LocalService.Reset(), new LocalService.Reset());
            ServiceDirectory oneRetry = directory(billing.url(), Map.of(
                    "flowguard.services.billing.retry.max-retries", "1",
                    "flowguard.services.billing.retry.delay", "PT0.01S"));
            ServiceCallException e = assertThrows(ServiceCallException.class,
                    () -> oneRetry.post("billing", "/invoices", "{}", KEY));
            assertThat("two resets use up one retry", billing.requests(), hasSize(2));
            assertThat(e.getMessage(), containsString("unreachable after 2 attempts"));
        }
    }

    @Test
    void anErrorStatusIsNeverRetried() {
        for (int status : new int[] {500, 404, 400, 409, 503, 302}) {
            try (LocalService billing = LocalService.start(r -> new LocalService.Reply(status, "{\"error\":\"no\"}"))) {
                ServiceCallException e = assertThrows(ServiceCallException.class,
                        () -> directory(billing.url(), Map.of()).post("billing", "/invoices/7?x=1", "{}", KEY));
                assertThat("status " + status, billing.requests(), hasSize(1));
                assertThat(e.status(), is(status));
                assertThat(e.attempts(), is(1));
                assertThat(e.getMessage(), is("service billing answered " + status + " to POST /invoices/7"));
            }
        }
    }

    @Test
    void aHangingServiceTimesOutOnEveryAttempt() {
        try (LocalService billing = LocalService.start(r -> new LocalService.Hang())) {
            ServiceDirectory services = directory(billing.url(), Map.of(
                    "flowguard.services.billing.timeout", "PT0.3S",
                    "flowguard.services.billing.retry.delay", "PT0.1S"));
            long started = System.nanoTime();
            ServiceCallException e = assertThrows(ServiceCallException.class,
                    () -> services.post("billing", "/invoices", "{}", KEY));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(e.getMessage(), containsString("service billing timed out after 3 attempts"));
            assertThat(billing.requests(), hasSize(3));
            assertThat(billing.requests().stream().map(LocalService.Request::idempotencyKey).toList(), everyItem(is(KEY)));
            // three attempts of 0.3 s and two waits, not a hang: a generous bound, not a speed target
            assertThat(tookMillis, greaterThanOrEqualTo(3 * 300L + 100 + 200));
            assertThat(tookMillis, lessThan(20_000L));
        }
    }

    @Test
    void repeatedFailuresOpenTheCircuitWhichFailsFastThenHalfOpensAndCloses() throws Exception {
        try (LocalService billing = LocalService.start(r -> new LocalService.Reply(500, "{}"))) {
            ServiceDirectory services = directory(billing.url(), Map.of(
                    "flowguard.services.billing.circuit-breaker.volume", "4",
                    "flowguard.services.billing.circuit-breaker.failure-ratio", "50",
                    "flowguard.services.billing.circuit-breaker.delay", "PT1S",
                    "flowguard.services.billing.circuit-breaker.success-threshold", "1"));
            for (int i = 0; i < 4; i++) {
                assertThrows(ServiceCallException.class, () -> services.post("billing", "/invoices", "{}", KEY));
            }
            assertThat(services.circuit("billing"), is("OPEN"));
            assertThat(billing.requests(), hasSize(4));

            for (int i = 0; i < 5; i++) {
                ServiceCallException open = assertThrows(ServiceCallException.class,
                        () -> services.post("billing", "/invoices", "{}", KEY));
                assertThat(open.getMessage(), containsString("service billing unavailable: its circuit is open"));
                assertThat(open.attempts(), is(0));
            }
            assertThat("open circuit: no call reaches the service", billing.requests(), hasSize(4));

            billing.otherwise(r -> new LocalService.Reply(200, "{\"ok\":true}"));
            io.flowguard.testing.Await.until("the circuit to half-open", Duration.ofSeconds(10), () -> "HALF_OPEN".equals(services.circuit("billing")));
            ServiceReply trial = services.post("billing", "/invoices", "{}", KEY);
            assertThat(trial.status(), is(200));
            assertThat(services.circuit("billing"), is("CLOSED"));
            assertThat(billing.requests(), hasSize(5));
        }
    }

    @Test
    void theCircuitOpensAtTheConfiguredFailureRatioAndNotBelowIt() {
        // 100 attempts and 50 %: the ratio is exact to one attempt (Helidon opens at volume * ratio / 100 failures)
        try (LocalService billing = LocalService.start(r -> new LocalService.Reply(200, "{}"))) {
            ServiceDirectory services = directory(billing.url(), Map.of(
                    "flowguard.services.billing.circuit-breaker.volume", "100",
                    "flowguard.services.billing.circuit-breaker.failure-ratio", "50",
                    "flowguard.services.billing.circuit-breaker.delay", "PT10M"));
            for (int i = 0; i < 51; i++) {
                services.post("billing", "/invoices", "{}", KEY);
            }
            billing.otherwise(r -> new LocalService.Reply(500, "{}"));
            for (int i = 0; i < 49; i++) {
                assertThrows(ServiceCallException.class, () -> services.post("billing", "/invoices", "{}", KEY));
            }
            assertThat("49 failures in the last 100 attempts", services.circuit("billing"), is("CLOSED"));
            assertThrows(ServiceCallException.class, () -> services.post("billing", "/invoices", "{}", KEY));
            assertThat("50 failures in the last 100 (the oldest success dropped out)", services.circuit("billing"),
                    is("OPEN"));
            assertThat(billing.requests(), hasSize(101));
        }
    }

    @Test
    void clientErrorsDoNotOpenTheCircuit() {
        try (LocalService billing = LocalService.start(r -> new LocalService.Reply(422, "{}"))) {
            ServiceDirectory services = directory(billing.url(), Map.of(
                    "flowguard.services.billing.circuit-breaker.volume", "2"));
            for (int i = 0; i < 6; i++) {
                assertThrows(ServiceCallException.class, () -> services.post("billing", "/invoices", "{}", KEY));
            }
            assertThat(services.circuit("billing"), is("CLOSED"));
            assertThat(billing.requests(), hasSize(6));
        }
    }

    @Test
    void pathsCannotLeaveTheConfiguredServiceAndNothingIsSent() {
        try (LocalService billing = LocalService.start(r -> new LocalService.Reply(200, "{}"))) {
            ServiceDirectory services = directory(billing.url() + "/api/", Map.of());
            for (String hostile : new String[] {"invoices", "//evil.example/x", "/../admin", "/a/%2e%2e/admin",
                    "/a/%2F..", "/a\\b", "/a b", "/a#frag", "/a\r\nX-Evil: 1", "@evil.example/x", "",
                    "/" + "a".repeat(3000), "/a/./b", "/a%zz", "/a%00b"}) {
                ServiceCallException e = assertThrows(ServiceCallException.class,
                        () -> services.post("billing", hostile, "{}", KEY), hostile);
                assertThat(e.getMessage(), containsString("service billing not called"));
                assertThat(e.attempts(), is(0));
            }
            assertThat(billing.requests(), hasSize(0));

            services.post("billing", "/invoices/7?expand=lines", "{}", KEY);
            assertThat(billing.requests().get(0).path(), is("/api/invoices/7?expand=lines"));
        }
    }

    @Test
    void aReplyLargerThanTheLimitFailsTheCall() {
        try (LocalService billing = LocalService.start(r -> new LocalService.Reply(200, "\"" + "x".repeat(5000) + "\""))) {
            ServiceDirectory services = directory(billing.url(), Map.of("flowguard.services.billing.max-reply-bytes", "1024"));
            ServiceCallException e = assertThrows(ServiceCallException.class,
                    () -> services.post("billing", "/invoices", "{}", KEY));
            assertThat(e.getMessage(), is("service billing sent a reply larger than 1024 bytes"));
            assertThat(billing.requests(), hasSize(1));
        }
    }

    @Test
    void theConfiguredTokenIsSentAsBearerAuthorization() {
        try (LocalService billing = LocalService.start(r -> new LocalService.Reply(200, "{}"))) {
            directory(billing.url(), Map.of("flowguard.services.billing.auth-token", "s3cret-token"))
                    .post("billing", "/invoices", "{}", KEY);
            assertThat(billing.requests().get(0).headers().get("authorization"), is("Bearer s3cret-token"));
            assertThat(billing.requests().get(0).headers().get("content-type"), is("application/json"));
        }
    }
}
