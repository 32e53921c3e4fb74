package io.flowguard.outbound;

import java.util.List;
import java.util.Map;

import io.flowguard.engine.graph.AgentRoles;
import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.engine.graph.FlowGraphBuilder;
import io.flowguard.testing.MapConfigSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A flow naming an unconfigured or misconfigured service stops startup, naming the key and the flow. */
class ServiceSettingsTest {

    private static Config config(Map<String, String> values) {
        return ConfigProviderResolver.instance().getBuilder().withSources(new MapConfigSource("s", values)).build();
    }

    private static List<FlowDefinition> billingFlow() {
        return List.of(FlowGraphBuilder.build(ServiceCallsTest.BillingFlow.class, new ServiceCallsTest.BillingFlow(),
                AgentRoles.of(AgentRoles.DEFAULT)));
    }

    @Test
    void aDeclaredServiceWithoutAUrlRefusesStartup() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ServiceDirectory(billingFlow(), config(Map.of())));
        assertThat(e.getMessage(), is("outbound services are not configured: flowguard.services.billing.url is not set"
                + " (service billing is called by flow test-billing)"));
    }

    @Test
    void badUrlsAndValuesAreRefusedNamingTheKey() {
        Map<String, String> cases = Map.of(
                "ftp://billing.internal", "flowguard.services.billing.url must be an http or https URL",
                "http://user:pw@billing.internal", "flowguard.services.billing.url must not hold credentials",
                "http://billing.internal/?x=1", "flowguard.services.billing.url must not have a query or fragment",
                "not a url", "flowguard.services.billing.url is not a URL",
                "/relative", "flowguard.services.billing.url must be an http or https URL");
        cases.forEach((url, message) -> {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new ServiceDirectory(billingFlow(), config(Map.of("flowguard.services.billing.url", url))));
            assertThat(url, e.getMessage(), containsString(message));
            assertThat("never echoes a credential", e.getMessage(), not(containsString("pw@")));
        });
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ServiceDirectory(billingFlow(), config(Map.of(
                        "flowguard.services.billing.url", "http://billing.internal",
                        "flowguard.services.billing.retry.max-retries", "11"))));
        assertThat(e.getMessage(), containsString("flowguard.services.billing.retry.max-retries must be 0..10"));
    }

    @Test
    void defaultsAreThreeAttemptsWithHalfASecondDoubling() {
        ServiceSettings s = ServiceSettings.from(config(Map.of("flowguard.services.billing.url", "https://billing.internal/v1/")),
                "billing");
        assertThat(s.attempts(), is(3));
        assertThat(s.url().toString(), is("https://billing.internal/v1"));
        BackoffPolicy backoff = new BackoffPolicy(s.attempts(), s.retryDelay().toMillis(), s.retryFactor(), s.retryJitter());
        assertThat(backoff.delayBefore(1, 0.0), is(500L));
        assertThat(backoff.delayBefore(2, 0.0), is(1000L));
        assertThat(backoff.delayBefore(3, 0.0), is(2000L));
        assertThat(backoff.delayBefore(2, 0.999), is(1199L));
        assertThat(backoff.nextDelayMillis(0, 0, 3).isPresent(), is(false));
        assertThat("the token is never printed", s.toString(), not(containsString("token")));
    }
}
