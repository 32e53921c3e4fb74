package io.flowguard.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.TestDatabase;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * {@code GET /executions?flow=&version=}: an operator finds what still runs on a flow or one of its
 * versions, registered or not (a version no longer built is stored as it was: here moved to 99 with
 * plain SQL, as an older build would have left it). A version needs its flow; a bad filter is a
 * 400 problem and lists nothing.
 */
@HelidonTest
class ExecutionListFiltersTest {

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.put("flowguard.engine.workers", "0");
        return new MapConfigSource("list-filters", values);
    }

    @Inject
    WebTarget target;

    /** A new owner per test: the test instance is shared by the class's tests. */
    private String owner;
    private String token;

    @BeforeEach
    void newOwner() {
        owner = "filters-" + UUID.randomUUID();
        token = TestTokens.token(owner, "flow-user");
    }

    /**
     * Leaves nothing behind in the database the test classes share: a later class's workers would
     * claim these executions, and fail the one of version 99 as unknown_flow (an audit line another
     * class's test does not expect).
     */
    @AfterEach
    void removeTheseExecutions() throws SQLException {
        try (Connection c = TestDatabase.shared().connect();
             PreparedStatement s = c.prepareStatement("DELETE FROM flow_execution WHERE owner = ?")) {
            s.setString(1, owner);
            s.executeUpdate();
        }
    }

    private String start(String flow) {
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + token)
                .post(Entity.json("{\"flow\":\"" + flow + "\",\"input\":{}}"))) {
            assertThat(r.getStatus(), is(201));
            return r.readEntity(JsonObject.class).getString("id");
        }
    }

    private Response list(String query) {
        return target.path("/executions").queryParam("limit", "500").queryParam(query.split("=")[0],
                query.split("=", 2)[1]).request().header("Authorization", "Bearer " + token).get();
    }

    private List<String> ids(String query) {
        try (Response r = list(query)) {
            assertThat(query, r.getStatus(), is(200));
            return r.readEntity(JsonArray.class).stream().map(JsonValue::asJsonObject)
                    .map(e -> e.getString("id")).toList();
        }
    }

    private List<String> idsOf(String flow, String version) {
        try (Response r = target.path("/executions").queryParam("flow", flow).queryParam("version", version)
                .request().header("Authorization", "Bearer " + token).get()) {
            assertThat(r.getStatus(), is(200));
            return r.readEntity(JsonArray.class).stream().map(JsonValue::asJsonObject)
                    .map(e -> e.getString("id")).toList();
        }
    }

    @Test
    void executionsAreFilteredByFlowAndByVersionRegisteredOrNot() throws SQLException {
        String waitOne = start("test-wait");
        String waitOld = start("test-wait");
        String slow = start("test-two-roles-ask");
        movedToVersion99(waitOld);

        assertThat(ids("flow=test-wait"), containsInAnyOrder(waitOne, waitOld));
        assertThat(ids("flow=test-two-roles-ask"), containsInAnyOrder(slow));
        assertThat(idsOf("test-wait", "1"), containsInAnyOrder(waitOne));
        assertThat("a version no longer registered", idsOf("test-wait", "99"), containsInAnyOrder(waitOld));
        assertThat(idsOf("test-wait", "2"), is(List.of()));
        assertThat("a flow not registered at all", ids("flow=no-such-flow"), is(List.of()));
    }

    @Test
    void aBadFilterIsAProblemAndListsNothing() {
        start("test-wait");
        for (String query : new String[] {"flow=Test-Wait", "flow=-wait", "flow=" + "a".repeat(101), "flow=",
                "version=1"}) {
            try (Response r = list(query)) {
                assertThat(query, r.getStatus(), is(400));
                assertThat(query, r.getMediaType().toString(), containsString("application/problem+json"));
                assertThat(query, r.readEntity(String.class), containsString("urn:flowguard:problem:invalid-input"));
            }
        }
        for (String version : new String[] {"0", "-1", "x", "2147483648"}) {
            try (Response r = target.path("/executions").queryParam("flow", "test-wait").queryParam("version", version)
                    .request().header("Authorization", "Bearer " + token).get()) {
                assertThat(version, r.getStatus(), is(400));
                assertThat(version, r.readEntity(String.class), containsString("urn:flowguard:problem:invalid-input"));
            }
        }
        assertThat("the longest name is a filter", ids("flow=" + "a".repeat(100)), is(List.of()));
    }

    private static void movedToVersion99(String id) throws SQLException {
        try (Connection c = TestDatabase.shared().connect();
             PreparedStatement s = c.prepareStatement("UPDATE flow_execution SET flow_version = 99 WHERE id = ?")) {
            s.setObject(1, UUID.fromString(id));
            assertThat(s.executeUpdate(), is(1));
        }
    }
}
