package io.flowguard.api;

import java.time.Duration;
import java.util.UUID;

import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** {@code /metrics}: admins only, Prometheus text, engine and security meters, no tag from input. */
@HelidonTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsTest {

    private static final String OWNER = "metrics-" + UUID.randomUUID();
    private static final String USER = TestTokens.token(OWNER, "flow-user");
    private static final String ADMIN = TestTokens.token("metrics-admin", "flow-admin");

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    private String start(String body) {
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + USER)
                .post(Entity.json(body))) {
            return r.getStatus() == 201 ? r.readEntity(JsonObject.class).getString("id") : null;
        }
    }

    private String status(String id) {
        try (Response r = target.path("/executions/" + id).request().header("Authorization", "Bearer " + USER).get()) {
            return r.readEntity(JsonObject.class).getString("status");
        }
    }

    private String scrape() {
        try (Response r = target.path("/metrics").request().header("Authorization", "Bearer " + ADMIN).get()) {
            assertThat(r.getStatus(), is(200));
            assertThat(r.getMediaType().toString(), containsString("text/plain"));
            return r.readEntity(String.class);
        }
    }

    @Test
    @Order(1)
    void theGaugesAndSecurityCountersAreThereBeforeAnyWork() {
        String metrics = scrape();
        assertThat(metrics, containsString("flowguard_executions_active "));
        assertThat(metrics, containsString("flowguard_claim_queue_depth "));
        assertThat(metrics, containsString("flowguard_lease_reclaims_total "));
        assertThat(metrics, containsString("flowguard_security_events_total{kind=\"rate_limited\"}"));
    }

    @Test
    void onlyAdminsReadTheMetrics() {
        try (Response r = target.path("/metrics").request().header("Authorization", "Bearer " + USER).get()) {
            assertThat(r.getStatus(), is(403));
        }
        try (Response r = target.path("/metrics").request().get()) {
            assertThat(r.getStatus(), is(401));
        }
    }

    @Test
    void executionsStepsGaugesAndSecurityEventsAreCountedWithRegisteredNamesOnly() {
        String done = start("{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"INPUT-MARKER\",\"estimatedCost\":1}}");
        String waiting = start("{\"flow\":\"test-wait\",\"input\":{}}");
        Await.until("completed", Duration.ofSeconds(30), () -> status(done).equals("COMPLETED"));
        Await.until("waiting", Duration.ofSeconds(30), () -> status(waiting).equals("WAITING_AGENT"));
        try (Response r = target.path("/executions/" + waiting + "/cancel").request()
                .header("Authorization", "Bearer " + USER).post(Entity.json("{}"))) {
            assertThat(r.getStatus(), is(200));
        }
        assertThat(start("{\"flow\":\"evil-tag-flow\",\"input\":{}}") == null, is(true));
        try (Response r = target.path("/flows").request().header("Authorization", "Bearer nope").get()) {
            assertThat(r.getStatus(), is(401));
        }

        String metrics = scrape();
        assertThat(metrics, containsString("flowguard_executions_started_total{flow=\"feature-approval\"}"));
        assertThat(metrics, containsString("flowguard_executions_finished_total{flow=\"feature-approval\",status=\"completed\"}"));
        assertThat(metrics, containsString("flowguard_executions_finished_total{flow=\"test-wait\",status=\"cancelled\"}"));
        assertThat(metrics, containsString("flowguard_step_duration_seconds_bucket{flow=\"feature-approval\",step=\"analyze\""));
        assertThat(metrics, containsString("flowguard_executions_active "));
        assertThat(metrics, containsString("flowguard_agent_requests_pending "));
        assertThat(metrics, containsString("flowguard_claim_queue_depth "));
        assertThat(metrics, containsString("flowguard_lease_reclaims_total "));
        assertThat(metrics, containsString("flowguard_security_events_total{kind=\"authentication_failure\"}"));
        assertThat(metrics, containsString("flowguard_security_events_total{kind=\"unknown_flow\"}"));
        assertThat("no tag from input", metrics, not(containsString("evil-tag-flow")));
        assertThat("no tag from input", metrics, not(containsString("INPUT-MARKER")));
        assertThat("no subject as a tag", metrics, not(containsString(OWNER)));
    }
}
