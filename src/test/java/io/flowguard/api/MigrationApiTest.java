package io.flowguard.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.flowguard.api.HostileRequests.Case;
import io.flowguard.engine.Engine;
import io.flowguard.engine.EngineSettings;
import io.flowguard.store.Store;
import io.flowguard.testflows.MigratingFlow;
import io.flowguard.testing.Await;
import io.flowguard.testing.ExecutionRows;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static io.flowguard.api.HostileRequests.Case.of;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * {@code POST /flows/{name}/migrations} through the real server: an admin's dry run lists what
 * would move and changes no row, the real batch then moves exactly that, and a moved execution is
 * answered at its renamed question and finishes on version 2. Every refused request (an unknown
 * flow or version, no declared migration, a limit outside 1..500 at 0 and 501, an unknown field, a
 * token without flow-admin, none at all) is a problem that changes nothing.
 *
 * <p>Executions of version 1 are started by an "old build" engine on the service's database that
 * registers version 1 alone (the service starts version 3, its newest); the service's own workers
 * run them to their question.
 */
@HelidonTest
class MigrationApiTest {

    private static final String PATH = "/flows/test-migrating/migrations";
    private static final String ADMIN = TestTokens.token("migration-admin", "flow-admin");
    private static final String LEAD = TestTokens.token("migration-lead", "agent:test_lead");

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;
    @Inject
    Store store;

    @Test
    void aDryRunListsWhatTheBatchThenMovesAndTheMovedExecutionsFinishOnVersionTwo() {
        String owner = "migration-api-" + UUID.randomUUID();
        String waiting = waitingOnVersionOne(owner, "fine");
        String invalid = waitingOnVersionOne(owner, "invalid");
        ExecutionRows before = ExecutionRows.of(owner);

        JsonObject dry = migrate("{\"from\":1,\"to\":2,\"dryRun\":true,\"limit\":100}");

        assertThat("the dry run changed no row", ExecutionRows.of(owner), is(before));
        assertThat(dry.getBoolean("dryRun"), is(true));
        assertThat(ids(dry, "wouldMove"), hasItem(waiting));
        assertThat(ids(dry, "wouldMove"), not(hasItem(invalid)));
        assertThat(ids(dry, "moved").isEmpty(), is(true));
        assertThat(reason(dry, invalid), is("state_invalid"));

        JsonObject real = migrate("{\"from\":1,\"to\":2,\"dryRun\":false,\"limit\":100}");

        assertThat(real.getBoolean("dryRun"), is(false));
        assertThat(ids(real, "moved"), is(ids(dry, "wouldMove")));
        assertThat(ids(real, "wouldMove").isEmpty(), is(true));
        assertThat(reason(real, invalid), is("state_invalid"));
        JsonObject moved = get("/executions/" + waiting, ADMIN).readEntity(JsonObject.class);
        assertThat(moved.getInt("flowVersion"), is(2));
        assertThat(moved.getString("status"), is("WAITING_AGENT"));
        JsonArray events = get("/executions/" + waiting + "/events", ADMIN).readEntity(JsonArray.class);
        List<JsonObject> migrated = events.getValuesAs(JsonObject.class).stream()
                .filter(e -> e.getString("type").equals("MIGRATED")).toList();
        assertThat(migrated.size(), is(1));
        assertThat(migrated.get(0).getString("detail"), is("v1 -> v2"));
        assertThat(migrated.get(0).getString("actor"), is("migration-admin"));

        JsonObject ask = requestOf(waiting);
        assertThat(ask.getString("step"), is("askAgain"));
        try (Response r = post("/agent-requests/" + ask.getString("id") + "/answer", LEAD, "{\"ok\":true}")) {
            assertThat(r.getStatus(), is(200));
        }
        Await.until("the moved execution to finish", Duration.ofSeconds(30),
                () -> get("/executions/" + waiting, ADMIN).readEntity(JsonObject.class).getString("status")
                        .equals("COMPLETED"));
        JsonObject done = get("/executions/" + waiting, ADMIN).readEntity(JsonObject.class);
        assertThat(done.getJsonObject("state").getJsonArray("log").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).toList(), is(List.of("migrated", "v2 answered by migration-lead")));

        try (Response r = post("/executions/" + invalid + "/cancel", ADMIN, "{\"reason\":\"test over\"}")) {
            assertThat(r.getStatus(), is(200));
        }
    }

    @Test
    void refusedMigrationsAreProblemsThatChangeNothing() {
        String owner = "migration-hostile-" + UUID.randomUUID();
        String waiting = waitingOnVersionOne(owner, "watched");
        String user = TestTokens.token(owner, "flow-user");
        ExecutionRows before = ExecutionRows.of(owner);
        String real = "\"dryRun\":false";
        List<Case> cases = new ArrayList<>();
        cases.add(of("a flow that is not registered", "POST", "/flows/no-such-flow/migrations", ADMIN,
                "{\"from\":1,\"to\":2," + real + "}", 404, "not-found"));
        cases.add(of("a version that is not registered", "POST", PATH, ADMIN,
                "{\"from\":1,\"to\":4," + real + "}", 422, "unknown-flow"));
        cases.add(of("a version that declares no migration from it", "POST", PATH, ADMIN,
                "{\"from\":1,\"to\":3," + real + "}", 422, "no-migration"));
        cases.add(of("from not lower than to", "POST", PATH, ADMIN, "{\"from\":2,\"to\":2," + real + "}",
                400, "invalid-input"));
        cases.add(of("from 0", "POST", PATH, ADMIN, "{\"from\":0,\"to\":2," + real + "}", 400, "invalid-input"));
        cases.add(of("limit 0", "POST", PATH, ADMIN, "{\"from\":1,\"to\":2," + real + ",\"limit\":0}",
                400, "invalid-input"));
        cases.add(of("limit 501, one over the cap", "POST", PATH, ADMIN, "{\"from\":1,\"to\":2," + real
                + ",\"limit\":501}", 400, "invalid-input"));
        cases.add(of("an unknown field", "POST", PATH, ADMIN, "{\"from\":1,\"to\":2," + real + ",\"owner\":\"x\"}",
                400, "invalid-input"));
        cases.add(of("no dryRun", "POST", PATH, ADMIN, "{\"from\":1,\"to\":2}", 400, "invalid-input"));
        cases.add(of("a version as a string", "POST", PATH, ADMIN, "{\"from\":\"1\",\"to\":2," + real + "}",
                400, "invalid-input"));
        cases.add(of("a member twice", "POST", PATH, ADMIN, "{\"from\":1,\"from\":1,\"to\":2," + real + "}",
                400, "invalid-input"));
        cases.add(of("an after that is no id", "POST", PATH, ADMIN, "{\"from\":1,\"to\":2," + real
                + ",\"after\":\"x\"}", 400, "invalid-input"));
        cases.add(of("an empty body", "POST", PATH, ADMIN, "", 400, "invalid-input"));
        cases.add(of("the owner, a flow-user", "POST", PATH, user, "{\"from\":1,\"to\":2," + real + "}",
                403, "forbidden"));
        cases.add(of("an agent", "POST", PATH, LEAD, "{\"from\":1,\"to\":2," + real + "}", 403, "forbidden"));
        cases.add(of("no token", "POST", PATH, null, "{\"from\":1,\"to\":2," + real + "}", 401, "unauthenticated"));
        cases.add(of("not JSON", "POST", PATH, ADMIN, "{\"from\":1,\"to\":2," + real + "}", 415,
                "unsupported-media-type").withContentType("text/plain"));
        cases.add(of("a body over 4 KiB", "POST", PATH, ADMIN, "{\"from\":1,\"to\":2," + real + ",\"x\":\""
                + "x".repeat(4096) + "\"}", 413, "payload-too-large"));

        HostileRequests.run("migration requests", target.getUri(), cases, owner);
        assertThat("no row changed", ExecutionRows.of(owner), is(before));

        JsonObject underTheCap = migrate("{\"from\":1,\"to\":2,\"dryRun\":true,\"limit\":499}");
        assertThat(ids(underTheCap, "wouldMove"), hasItem(waiting));
        JsonObject atTheCap = migrate("{\"from\":1,\"to\":2,\"dryRun\":true,\"limit\":500}");
        assertThat(ids(atTheCap, "wouldMove"), hasItems(waiting));
        assertThat("the dry runs changed no row", ExecutionRows.of(owner), is(before));

        try (Response r = post("/executions/" + waiting + "/cancel", ADMIN, "{\"reason\":\"test over\"}")) {
            assertThat(r.getStatus(), is(200));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Started on version 1 by an old build, then run to its question by the service. */
    private String waitingOnVersionOne(String owner, String key) {
        UUID id;
        try (Engine oldBuild = Engine.builder().store(store).flow(MigratingFlow.class)
                .settings(EngineSettings.defaults().withWorkers(0))
                .instanceId("old-build-" + UUID.randomUUID().toString().substring(0, 8)).build()) {
            id = oldBuild.start("test-migrating", "{\"key\":\"" + key + "\"}", owner, null).execution().id();
        }
        Await.until("execution " + id + " to wait at its question", Duration.ofSeconds(30),
                () -> get("/executions/" + id, ADMIN).readEntity(JsonObject.class).getString("status")
                        .equals("WAITING_AGENT"));
        assertThat(get("/executions/" + id, ADMIN).readEntity(JsonObject.class).getInt("flowVersion"), is(1));
        return id.toString();
    }

    private JsonObject migrate(String body) {
        try (Response r = post(PATH, ADMIN, body)) {
            String text = r.readEntity(String.class);
            assertThat(text, r.getStatus(), is(200));
            return jakarta.json.Json.createReader(new java.io.StringReader(text)).readObject();
        }
    }

    private JsonObject requestOf(String execution) {
        JsonArray inbox = get("/agent-requests?execution=" + execution, LEAD).readEntity(JsonArray.class);
        assertThat(inbox.size(), is(1));
        return inbox.getJsonObject(0);
    }

    private static List<String> ids(JsonObject report, String member) {
        return report.getJsonArray(member).getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    private static String reason(JsonObject report, String id) {
        return report.getJsonArray("cannot").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("id").equals(id)).findFirst().orElseThrow().getString("reason");
    }

    private Response get(String path, String token) {
        String[] parts = path.split("\\?", 2);
        WebTarget t = target.path(parts[0]);
        if (parts.length == 2) {
            String[] query = parts[1].split("=", 2);
            t = t.queryParam(query[0], query[1]);
        }
        return t.request().header("Authorization", "Bearer " + token).get();
    }

    private Response post(String path, String token, String body) {
        return target.path(path).request().header("Authorization", "Bearer " + token).post(Entity.json(body));
    }
}
