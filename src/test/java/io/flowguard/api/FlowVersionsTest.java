package io.flowguard.api;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.flowguard.engine.Engine;
import io.flowguard.engine.EngineProbe;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.Store;
import io.flowguard.testflows.VersionedFlowV1;
import io.flowguard.testing.Await;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * {@code GET /flows} lists, beside each flow's newest version and its steps, every registered
 * version, oldest first, with its count of unfinished executions: the number a team watches to
 * know when an old version may leave the build. Waiting executions count; finished ones do not.
 * ({@code test-versioned} is started by this class only, so the counts are its own; a read of them
 * is shown to every caller a little while, so the test waits for each to show.)
 */
@HelidonTest
class FlowVersionsTest {

    private static final String OWNER = "versions-" + UUID.randomUUID();
    private static final String USER = TestTokens.token(OWNER, "flow-user");

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;
    @Inject
    Engine engine;
    @Inject
    Store store;

    @Test
    void everyRegisteredVersionIsListedOldestFirstWithItsUnfinishedExecutions() {
        assertThat(versioned().getInt("version"), is(2));
        awaitCounts(List.of(List.of(1, 0L), List.of(2, 0L)));

        UUID v1 = startOnVersionOne();
        UUID first = start();
        UUID second = start();
        for (UUID id : List.of(v1, first, second)) {
            EngineProbe.awaitStatus(engine, id, ExecutionStatus.WAITING_AGENT);
        }
        assertThat(engine.get(v1).orElseThrow().flowVersion(), is(1));
        awaitCounts(List.of(List.of(1, 1L), List.of(2, 2L)));

        cancel(first);
        awaitCounts(List.of(List.of(1, 1L), List.of(2, 1L))); // a finished execution is not counted

        cancel(v1);
        cancel(second);
        awaitCounts(List.of(List.of(1, 0L), List.of(2, 0L)));
    }

    /** Waits for the counts (each read shown a little while to every caller), seeing every version's each time. */
    private void awaitCounts(List<List<Object>> expected) {
        Await.until("versions " + expected, Duration.ofSeconds(30), () -> {
            List<List<Object>> counts = counts();
            assertThat("every registered version, oldest first", counts.stream().map(c -> c.get(0)).toList(),
                    is(List.of(1, 2)));
            return counts.equals(expected);
        });
    }

    /** @return the flow's {@code versions}, each as [version, unfinished] */
    private List<List<Object>> counts() {
        return versioned().getJsonArray("versions").getValuesAs(JsonObject.class).stream()
                .map(v -> List.<Object>of(v.getInt("version"), v.getJsonNumber("unfinished").longValue())).toList();
    }

    private JsonObject versioned() {
        try (Response r = target.path("/flows").request().header("Authorization", "Bearer " + USER).get()) {
            assertThat(r.getStatus(), is(200));
            JsonArray flows = r.readEntity(JsonArray.class);
            return flows.getValuesAs(JsonObject.class).stream().filter(f -> f.getString("name").equals("test-versioned"))
                    .findFirst().orElseThrow();
        }
    }

    private UUID start() {
        try (Response r = target.path("/executions").request().header("Authorization", "Bearer " + USER)
                .post(Entity.json("{\"flow\":\"test-versioned\",\"input\":{}}"))) {
            assertThat(r.getStatus(), is(201));
            return UUID.fromString(r.readEntity(JsonObject.class).getString("id"));
        }
    }

    /** Started by a build that registers version 1 only (what the service's starts never take again). */
    private UUID startOnVersionOne() {
        try (Engine older = Engine.builder().store(store).agentRoles(engine.flows().roles())
                .settings(engine.settings().withWorkers(0)).instanceId("older-build").flow(VersionedFlowV1.class).build()) {
            return older.start("test-versioned", "{}", OWNER, null).execution().id();
        }
    }

    private void cancel(UUID id) {
        try (Response r = target.path("/executions/" + id + "/cancel").request()
                .header("Authorization", "Bearer " + USER).post(Entity.json("{}"))) {
            assertThat(r.getStatus(), is(200));
        }
    }
}
