package io.flowguard.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.flowguard.testing.TestDatabase;
import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Starts under an idempotency key happen at most once per owner and key, even when raced. */
@HelidonTest
@AddConfig(key = "flowguard.idempotency.ttl", value = "PT2S")
class IdempotentStartTest {

    private static final String BODY = "{\"name\":\"idem\",\"budget\":3}";

    @Inject
    Engine engine;

    private static int executionsOf(String owner) throws Exception {
        try (Connection c = TestDatabase.shared().connect();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM flow_execution WHERE owner = ?")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void theSameKeyAndBodyReturnTheSameExecutionMarkedReplayed() throws Exception {
        String owner = "idem-" + UUID.randomUUID();
        var first = engine.start("campaign-launch", BODY, owner, "key-1");
        var second = engine.start("campaign-launch", "{ \"name\" : \"idem\", \"budget\" : 3 }", owner, "key-1");

        assertThat(first.replayed(), is(false));
        assertThat(second.replayed(), is(true));
        assertThat(second.execution().id(), is(first.execution().id()));
        assertThat(executionsOf(owner), is(1));
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndCreatesNothing() throws Exception {
        String owner = "idem-" + UUID.randomUUID();
        engine.start("campaign-launch", BODY, owner, "key-2");

        EngineException e = assertThrows(EngineException.class,
                () -> engine.start("campaign-launch", "{\"name\":\"other\",\"budget\":3}", owner, "key-2"));

        assertThat(e.problem(), is(EngineException.Problem.IDEMPOTENCY_MISMATCH));
        assertThat(executionsOf(owner), is(1));
    }

    @Test
    void keysAreScopedToTheirOwner() {
        var alice = engine.start("campaign-launch", BODY, "idem-alice-" + UUID.randomUUID(), "shared-key");
        var bob = engine.start("campaign-launch", BODY, "idem-bob-" + UUID.randomUUID(), "shared-key");

        assertThat(bob.replayed(), is(false));
        assertThat(bob.execution().id(), is(not(alice.execution().id())));
    }

    @Test
    void fiftyConcurrentIdenticalStartsCreateExactlyOneExecution() throws Exception {
        String owner = "idem-race-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<UUID>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                return engine.start("campaign-launch", BODY, owner, "race-key").execution().id();
            }));
        }
        go.countDown();
        Set<UUID> ids = new HashSet<>();
        for (Future<UUID> f : futures) {
            ids.add(f.get());
        }
        pool.shutdown();

        assertThat(ids.size(), is(1));
        assertThat(executionsOf(owner), is(1));
    }

    @Test
    void anExpiredKeyStartsANewExecution() throws Exception {
        String owner = "idem-" + UUID.randomUUID();
        var first = engine.start("campaign-launch", BODY, owner, "key-3");
        Thread.sleep(2500);

        var later = engine.start("campaign-launch", BODY, owner, "key-3");

        assertThat(later.replayed(), is(false));
        assertThat(later.execution().id(), is(not(first.execution().id())));
    }

    @Test
    void malformedKeysAreRefused() throws Exception {
        String owner = "idem-" + UUID.randomUUID();
        for (String bad : List.of("", "has space", "x".repeat(256), "tab\tkey", "ünïcode")) {
            EngineException e = assertThrows(EngineException.class,
                    () -> engine.start("campaign-launch", BODY, owner, bad));
            assertThat(e.problem(), is(EngineException.Problem.INVALID_INPUT));
        }
        assertThat(executionsOf(owner), is(0));
    }
}
