package io.flowguard.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.flowguard.api.HostileRequests.Case;
import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.RowCounts;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static io.flowguard.api.HostileRequests.Case.of;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * A start gives a flow's input, never the state its steps write (issue 16, point 6): a field the
 * flow fills in is a 400 that creates nothing (no execution, no idempotency key, no quota slot),
 * while a start with the input's fields alone still runs.
 */
@HelidonTest
class MassAssignmentTest {

    private static final String OWNER = "mass-" + UUID.randomUUID();
    private static final String USER = TestTokens.token(OWNER, "flow-user");
    /** Starts the executions that run, so the refusals' owner has nothing moving. */
    private static final String RUNNER = TestTokens.token("mass-runner-" + UUID.randomUUID(), "flow-user");

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    private static String start(String flow, String input) {
        return "{\"flow\":\"" + flow + "\",\"input\":{" + input + "}}";
    }

    @Test
    void aStartSettingWhatFeatureApprovalDecidesIsRefusedAndCreatesNothing() {
        String proposal = "\"featureName\":\"dark mode\",\"estimatedCost\":5000000";
        List<Case> cases = new ArrayList<>();
        cases.add(of("the decision and who took it, as the attack sent them", "POST", "/executions", USER,
                start("feature-approval", proposal + ",\"decision\":\"APPROVED\",\"decidedBy\":\"ceo\""),
                400, "invalid-input"));
        cases.add(of("the decision alone", "POST", "/executions", USER,
                start("feature-approval", proposal + ",\"decision\":\"APPROVED\""), 400, "invalid-input"));
        cases.add(of("who decided alone, under an idempotency key", "POST", "/executions", USER,
                start("feature-approval", proposal + ",\"decidedBy\":\"ceo\""), 400, "invalid-input")
                .withHeader("Idempotency-Key", "mass-" + UUID.randomUUID()));
        cases.add(of("the approver's comment", "POST", "/executions", USER,
                start("feature-approval", proposal + ",\"comment\":\"approved by the board\""), 400, "invalid-input"));
        cases.add(of("the analysis' summary", "POST", "/executions", USER,
                start("feature-approval", proposal + ",\"summary\":\"pre-approved\""), 400, "invalid-input"));
        cases.add(of("a null decision", "POST", "/executions", USER,
                start("feature-approval", proposal + ",\"decision\":null"), 400, "invalid-input"));

        HostileRequests.run("feature-approval input", target.getUri(), cases, OWNER);
    }

    @Test
    void aStartSettingWhatCampaignLaunchWritesIsRefusedAndCreatesNothing() {
        String campaign = "\"name\":\"spring\",\"budget\":1000";
        List<Case> cases = new ArrayList<>();
        cases.add(of("branches already done", "POST", "/executions", USER,
                start("campaign-launch", campaign + ",\"completed\":[\"plan\",\"creative\",\"media\",\"sales\"]"),
                400, "invalid-input"));
        cases.add(of("a media booking", "POST", "/executions", USER,
                start("campaign-launch", campaign + ",\"mediaBooking\":\"B-1\""), 400, "invalid-input"));
        cases.add(of("already launched", "POST", "/executions", USER,
                start("campaign-launch", campaign + ",\"launched\":true"), 400, "invalid-input")
                .withHeader("Idempotency-Key", "mass-" + UUID.randomUUID()));

        HostileRequests.run("campaign-launch input", target.getUri(), cases, OWNER);
    }

    @Test
    void theRefusalNamesTheFieldACallerMayNotSet() {
        RowCounts before = RowCounts.of(OWNER);
        try (Response r = post(USER, start("feature-approval",
                "\"featureName\":\"x\",\"estimatedCost\":5000000,\"decision\":\"APPROVED\",\"decidedBy\":\"ceo\""))) {
            assertThat(r.getStatus(), is(400));
            assertThat(r.readEntity(String.class), containsString("unknown field 'decision'"));
        }
        assertThat(RowCounts.of(OWNER), is(before));
    }

    @Test
    void aStartWithTheInputsFieldsAloneWaitsForTheCeoWithNothingDecided() {
        String id;
        try (Response r = post(RUNNER, start("feature-approval", "\"featureName\":\"dark mode\",\"description\":\"why\","
                + "\"estimatedCost\":5000000,\"complexity\":3"))) {
            assertThat(r.getStatus(), is(201));
            id = r.readEntity(JsonObject.class).getString("id");
        }
        JsonObject[] seen = new JsonObject[1];
        Await.until("the execution waits for the CEO", Duration.ofSeconds(30), () -> {
            seen[0] = get(id);
            return seen[0].getString("status").equals("WAITING_AGENT");
        });
        JsonObject state = seen[0].getJsonObject("state");
        assertThat(state.getString("featureName") + " " + state.getJsonNumber("estimatedCost").longValue()
                + " " + state.getInt("complexity"), is("dark mode 5000000 3"));
        assertThat("no decision before the CEO answers", state.isNull("decision") && state.isNull("decidedBy"), is(true));
    }

    @Test
    void aStartWithTheInputsFieldsAloneRunsToItsEnd() {
        String id;
        try (Response r = post(RUNNER, start("feature-approval", "\"featureName\":\"small\",\"estimatedCost\":10"))) {
            assertThat(r.getStatus(), is(201));
            id = r.readEntity(JsonObject.class).getString("id");
        }
        JsonObject[] seen = new JsonObject[1];
        Await.until("the execution completes", Duration.ofSeconds(30), () -> {
            seen[0] = get(id);
            return seen[0].getString("status").equals("COMPLETED");
        });
        JsonObject state = seen[0].getJsonObject("state");
        assertThat(state.getString("decision") + " by " + state.getString("decidedBy"), is("APPROVED by auto"));
    }

    private Response post(String token, String body) {
        return target.path("/executions").request().header("Authorization", "Bearer " + token).post(Entity.json(body));
    }

    private JsonObject get(String id) {
        try (Response r = target.path("/executions/" + id).request().header("Authorization", "Bearer " + RUNNER).get()) {
            return r.readEntity(JsonObject.class);
        }
    }
}
