package io.flowguard.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.flowguard.examples.CampaignLaunchFlow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Starts under an idempotency key happen at most once per owner and key, even when raced, for as
 * long as the key lives. No container, and the key expires when the test moves the engine's clock.
 * (Nothing here runs a step, so campaign-launch needs no media service.)
 */
class IdempotentStartTest {

    private static final String BODY = "{\"name\":\"idem\",\"budget\":3}";
    private static final Duration TTL = Duration.ofHours(2);

    /** One database for the class, emptied before each test. */
    @RegisterExtension
    static final EngineHarness harness = EngineHarness.perClass();
    private final Engine engine = harness.instance("instance-a").settings(TunedSettings.noWorkers().idempotencyTtl(TTL).build())
            .flow(CampaignLaunchFlow.class).build();

    private int executionsOf(String owner) throws Exception {
        try (Connection c = harness.dataSource.getConnection();
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
        var first = engine.start("campaign-launch", BODY, "ann", "key-1");
        var second = engine.start("campaign-launch", "{ \"name\" : \"idem\", \"budget\" : 3 }", "ann", "key-1");

        assertThat(first.replayed(), is(false));
        assertThat(second.replayed(), is(true));
        assertThat(second.execution().id(), is(first.execution().id()));
        assertThat(executionsOf("ann"), is(1));
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndCreatesNothing() throws Exception {
        engine.start("campaign-launch", BODY, "ann", "key-2");

        EngineException e = assertThrows(EngineException.class,
                () -> engine.start("campaign-launch", "{\"name\":\"other\",\"budget\":3}", "ann", "key-2"));

        assertThat(e.problem(), is(EngineException.Problem.IDEMPOTENCY_MISMATCH));
        assertThat(executionsOf("ann"), is(1));
    }

    @Test
    void keysAreScopedToTheirOwner() {
        var alice = engine.start("campaign-launch", BODY, "alice", "shared-key");
        var bob = engine.start("campaign-launch", BODY, "bob", "shared-key");

        assertThat(bob.replayed(), is(false));
        assertThat(bob.execution().id(), is(not(alice.execution().id())));
    }

    @Test
    void fiftyConcurrentIdenticalStartsCreateExactlyOneExecution() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<UUID>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                return engine.start("campaign-launch", BODY, "racer", "race-key").execution().id();
            }));
        }
        go.countDown();
        Set<UUID> ids = new HashSet<>();
        for (Future<UUID> f : futures) {
            ids.add(f.get());
        }
        pool.shutdown();

        assertThat(ids.size(), is(1));
        assertThat(executionsOf("racer"), is(1));
    }

    @Test
    void aKeyIsRememberedUntilAMillisecondBeforeItsTimeToLive() {
        var first = engine.start("campaign-launch", BODY, "ann", "key-3");
        harness.clock.advance(TTL.minusMillis(1));

        var later = engine.start("campaign-launch", BODY, "ann", "key-3");

        assertThat(later.replayed(), is(true));
        assertThat(later.execution().id(), is(first.execution().id()));
    }

    @Test
    void anExpiredKeyStartsANewExecution() throws Exception {
        var first = engine.start("campaign-launch", BODY, "ann", "key-4");
        harness.clock.advance(TTL);

        var later = engine.start("campaign-launch", BODY, "ann", "key-4");

        assertThat(later.replayed(), is(false));
        assertThat(later.execution().id(), is(not(first.execution().id())));
        assertThat(executionsOf("ann"), is(2));
        assertThat("the new execution holds the key now",
                engine.start("campaign-launch", BODY, "ann", "key-4").execution().id(), is(later.execution().id()));
    }

    @Test
    void malformedKeysAreRefusedAndTheLongestKeyIsTaken() throws Exception {
        for (String bad : List.of("", "has space", "x".repeat(256), "tab\tkey", "ünïcode")) {
            EngineException e = assertThrows(EngineException.class,
                    () -> engine.start("campaign-launch", BODY, "ann", bad));
            assertThat(e.problem(), is(EngineException.Problem.INVALID_INPUT));
        }
        assertThat(executionsOf("ann"), is(0));
        assertThat("the longest key is taken", engine.start("campaign-launch", BODY, "ann", "x".repeat(255))
                .replayed(), is(false));
        assertThat(executionsOf("ann"), is(1));
    }
}
