package io.flowguard.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.TestDatabase;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** The per-owner cap on active executions, through the real server, raced. */
@HelidonTest
class QuotaApiTest {

    private static final int CAP = 100;
    private static final String WAIT_START = "{\"flow\":\"test-wait\",\"input\":{}}";

    @AddConfigSource
    static ConfigSource config() {
        Map<String, String> values = new HashMap<>(TestTokens.config());
        values.put("flowguard.quota.max-active-executions", Integer.toString(CAP));
        return new MapConfigSource("quota", values);
    }

    @Inject
    WebTarget target;

    private Response start(String token, String body) {
        return target.path("/executions").request().header("Authorization", "Bearer " + token).post(Entity.json(body));
    }

    @Test
    void twoHundredConcurrentStartsAtACapOfOneHundredCreateExactlyOneHundred() throws Exception {
        String owner = "quota-" + UUID.randomUUID();
        String token = TestTokens.token(owner, "flow-user");
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> calls = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(200)) {
            for (int i = 0; i < 200; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    try (Response r = start(token, WAIT_START)) {
                        if (r.getStatus() == 429) {
                            assertThat(r.getMediaType().toString(), is("application/problem+json"));
                            assertThat(r.readEntity(String.class),
                                    containsString("\"type\":\"urn:flowguard:problem:quota-exceeded\""));
                        }
                        return r.getStatus();
                    }
                }));
            }
            go.countDown();
            int created = 0;
            int refused = 0;
            for (Future<Integer> call : calls) {
                int status = call.get();
                if (status == 201) {
                    created++;
                } else if (status == 429) {
                    refused++;
                } else {
                    throw new AssertionError("unexpected status " + status);
                }
            }
            assertThat(created, is(CAP));
            assertThat(refused, is(200 - CAP));
        }
        assertThat(executions(owner), is(CAP));
        assertThat(activeCount(owner), is(CAP));

        // A refused start at the cap changes nothing.
        try (Response r = start(token, WAIT_START)) {
            assertThat(r.getStatus(), is(429));
        }
        assertThat(executions(owner), is(CAP));
        assertThat(activeCount(owner), is(CAP));

        // Finishing one (cancel) gives its slot back: exactly one more start fits.
        String someId = anyExecution(owner);
        try (Response r = target.path("/executions/" + someId + "/cancel").request()
                .header("Authorization", "Bearer " + token).post(Entity.json("{}"))) {
            assertThat(r.getStatus(), is(200));
        }
        assertThat(activeCount(owner), is(CAP - 1));
        try (Response r = start(token, WAIT_START)) {
            assertThat(r.getStatus(), is(201));
        }
        try (Response r = start(token, WAIT_START)) {
            assertThat(r.getStatus(), is(429));
        }
        assertThat(executions(owner), is(CAP + 1));
    }

    @Test
    void executionsThatCompleteGiveTheirSlotBackAndOwnersAreCountedApart() {
        String owner = "quota-" + UUID.randomUUID();
        String token = TestTokens.token(owner, "flow-user");
        String other = TestTokens.token("quota-other-" + UUID.randomUUID(), "flow-user");
        String auto = "{\"flow\":\"feature-approval\",\"input\":{\"featureName\":\"q\",\"estimatedCost\":10}}";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (Response r = start(token, auto)) {
                assertThat(r.getStatus(), is(201));
                ids.add(r.readEntity(JsonObject.class).getString("id"));
            }
        }
        try (Response r = start(other, auto)) {
            assertThat(r.getStatus(), is(201));
        }
        Await.until("3 completions give back their slots", Duration.ofSeconds(30), () -> activeCount(owner) == 0);
        for (String id : ids) {
            try (Response r = target.path("/executions/" + id).request().header("Authorization", "Bearer " + token)
                    .get()) {
                assertThat(r.readEntity(JsonObject.class).getString("status"), is("COMPLETED"));
            }
        }
    }

    private static int executions(String owner) throws SQLException {
        return intQuery("SELECT COUNT(*) FROM flow_execution WHERE owner = ?", owner);
    }

    private static int activeCount(String owner) {
        try {
            return intQuery("SELECT active_count FROM owner_quota WHERE owner = ?", owner);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String anyExecution(String owner) throws SQLException {
        try (Connection c = TestDatabase.shared().connect();
             PreparedStatement s = c.prepareStatement("SELECT id FROM flow_execution WHERE owner = ?")) {
            s.setString(1, owner);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static int intQuery(String sql, String owner) throws SQLException {
        try (Connection c = TestDatabase.shared().connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, owner);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        }
    }
}
