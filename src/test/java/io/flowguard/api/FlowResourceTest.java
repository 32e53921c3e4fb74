package io.flowguard.api;

import java.util.List;

import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

@HelidonTest
class FlowResourceTest {

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    @Test
    void flowsNeedAToken() {
        try (Response r = target.path("/flows").request().get()) {
            assertThat(r.getStatus(), is(401));
        }
    }

    @Test
    void aUserSeesTheFlows() {
        try (Response r = target.path("/flows").request()
                .header("Authorization", "Bearer " + TestTokens.token("alice", "flow-user")).get()) {
            assertThat(r.getStatus(), is(200));
            assertThat(r.readEntity(String.class), containsString("feature-approval"));
        }
    }

    @Test
    void aFlowsGraphShowsItsStepsAndEdges() {
        JsonObject graph;
        try (Response r = target.path("/flows/feature-approval").request()
                .header("Authorization", "Bearer " + TestTokens.token("alice", "flow-user")).get()) {
            assertThat(r.getStatus(), is(200));
            graph = r.readEntity(JsonObject.class);
        }
        assertThat(graph.getString("name"), is("feature-approval"));
        assertThat(graph.getInt("version"), is(1));
        assertThat(graph.getJsonArray("startSteps").getString(0), is("analyze"));
        JsonObject router = graph.getJsonArray("steps").getValuesAs(JsonObject.class).stream()
                .filter(s -> s.getString("name").equals("route")).findFirst().orElseThrow();
        assertThat(router.getString("kind"), is("ROUTER"));
        assertThat(router.getJsonArray("labels").toString(), is("[\"auto_approve\",\"ceo_approval\",\"cto_approval\"]"));
        JsonObject askCeo = graph.getJsonArray("steps").getValuesAs(JsonObject.class).stream()
                .filter(s -> s.getString("name").equals("askCeo")).findFirst().orElseThrow();
        assertThat(askCeo.getJsonArray("asks").getString(0), is("ceo"));
        String edges = graph.getJsonArray("edges").toString();
        assertThat(edges, containsString("{\"from\":\"analyze\",\"kind\":\"next\",\"to\":\"route\"}"));
        assertThat(edges, containsString(
                "{\"from\":\"route\",\"kind\":\"label\",\"label\":\"ceo_approval\",\"to\":\"askCeo\"}"));
        assertThat(edges, containsString("{\"from\":\"askCeo\",\"kind\":\"timeout\",\"to\":"));
        assertThat("no class or method names", graph.toString(), not(containsString("io.flowguard")));
    }

    @Test
    void aFlowPublishesTheSchemasOfItsInputAndOfEachAsksAnswer() {
        JsonObject graph = graph("feature-approval");
        assertThat(graph.getJsonArray("versions").size(), is(1));
        JsonObject v1 = graph.getJsonArray("versions").getJsonObject(0);
        assertThat(v1.getInt("version"), is(1));
        JsonObject input = v1.getJsonObject("input");
        assertThat(input.getString("$schema"), is("https://json-schema.org/draft/2020-12/schema"));
        assertThat(input.getString("type"), is("object"));
        assertThat("unknown fields are refused", input.getBoolean("additionalProperties"), is(false));
        assertThat(input.getJsonArray("required").toString(), is("[\"estimatedCost\",\"featureName\"]"));
        JsonObject featureName = input.getJsonObject("properties").getJsonObject("featureName");
        assertThat(featureName.toString(), featureName.getInt("minLength"), is(1));
        assertThat(featureName.getInt("maxLength"), is(200));
        assertThat(v1.getJsonObject("answers").keySet().toString(), is("[askCeo, askCto]"));
        JsonObject approval = v1.getJsonObject("answers").getJsonObject("askCeo");
        assertThat(approval.getJsonArray("required").toString(), is("[\"approved\"]"));
        assertThat(v1.getJsonObject("state").getJsonObject("properties").containsKey("decision"), is(true));
        String published = graph.toString();
        for (String javaName : new String[] {"io.flowguard", "FeatureInput", "FeatureRequest", "Approval", "java."}) {
            assertThat("no class name", published, not(containsString(javaName)));
        }
    }

    @Test
    void everyRegisteredVersionIsPublishedOldestFirst() {
        JsonObject graph = graph("test-shapes");
        assertThat("the graph is the newest version's", graph.getInt("version"), is(2));
        List<JsonObject> versions = graph.getJsonArray("versions").getValuesAs(JsonObject.class);
        assertThat(versions.stream().map(v -> v.getInt("version")).toList(), is(List.of(1, 2)));
        assertThat("version 1 takes any object as its answer", versions.get(0).getJsonObject("answers").toString(),
                is("{\"approve\":{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\"}}"));
        assertThat(versions.get(0).getJsonObject("input").getJsonArray("required").toString(), is("[\"title\"]"));
        assertThat(versions.get(1).getJsonObject("answers").keySet().toString(), is("[review]"));
        JsonObject order = versions.get(1).getJsonObject("input");
        assertThat("a record used twice is one definition, named for no class", order.getJsonObject("$defs").keySet()
                .toString(), is("[shape-1]"));
        assertThat(order.toString(), not(containsString("Address")));
    }

    private JsonObject graph(String flow) {
        try (Response r = target.path("/flows/" + flow).request()
                .header("Authorization", "Bearer " + TestTokens.token("alice", "flow-user")).get()) {
            assertThat(r.getStatus(), is(200));
            return r.readEntity(JsonObject.class);
        }
    }

    @Test
    void anUnknownFlowIsNotFound() {
        for (String name : new String[] {"no-such-flow", "x".repeat(500), "io.flowguard.examples.FeatureApprovalFlow"}) {
            try (Response r = target.path("/flows/" + name).request()
                    .header("Authorization", "Bearer " + TestTokens.token("alice", "flow-user")).get()) {
                assertThat(r.getStatus(), is(404));
                assertThat(r.getMediaType().toString(), is("application/problem+json"));
            }
        }
    }

    @Test
    void aTokenWithoutTheRoleIsForbidden() {
        try (Response r = target.path("/flows").request()
                .header("Authorization", "Bearer " + TestTokens.token("eve", "nobody")).get()) {
            assertThat(r.getStatus(), is(403));
        }
    }
}
