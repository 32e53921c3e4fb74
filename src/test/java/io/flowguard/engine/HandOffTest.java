package io.flowguard.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.flowguard.engine.RequestSnapshot;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.engine.ExecutionSnapshot;
import io.flowguard.testflows.Gates;
import io.flowguard.testing.Await;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * A start or an answer on an instance with an idle worker leases the execution to that worker in
 * its own transaction and hands it over on commit: no claim (which would bump the row's version
 * once more), no wait for the claimer. Without an idle worker the execution is left to the claimers,
 * and the reserved workers come back.
 */
@HelidonTest
class HandOffTest {

    private static final Set<String> LEAD = Set.of("test_lead");

    @Inject
    Engine engine;
    @Inject
    Instances lifecycle;

    private String poolId() {
        return lifecycle.pool().orElseThrow().id();
    }

    @Test
    void aStartRunsOnALocalWorkerWithoutAClaim() throws Exception {
        String key = "handoff-start-" + UUID.randomUUID();
        ExecutionSnapshot started = engine.start("test-gated-ask", "{\"key\":\"" + key + "\"}", "alice", null).execution();

        assertThat("leased in the start's own transaction", started.leaseOwner(), is(poolId()));
        assertThat(Gates.awaitEntered(key), is(true));
        ExecutionSnapshot running = engine.get(started.id()).orElseThrow();
        assertThat(running.leaseOwner(), is(poolId()));
        assertThat("only the start committed: no claim", running.version(), is(started.version()));
        Gates.release(key);
        EngineProbe.awaitStatus(engine, started.id(), ExecutionStatus.WAITING_AGENT);
    }

    @Test
    void anAnswerResumesOnALocalWorkerWithoutAClaimAndGivesTheStepItsAnswer() throws Exception {
        String key = "handoff-answer-" + UUID.randomUUID();
        UUID id = engine.start("test-gated-answer", "{\"key\":\"" + key + "\"}", "alice", null).execution().id();
        long parked = EngineProbe.awaitStatus(engine, id, ExecutionStatus.WAITING_AGENT).version();
        RequestSnapshot request = engine.inbox(LEAD, id, 10).get(0);

        engine.answer(request.id(), LEAD, "lead-1", "{\"go\":\"yes\"}");

        assertThat(Gates.awaitEntered(key + ":answered"), is(true));
        ExecutionSnapshot resumed = engine.get(id).orElseThrow();
        assertThat(resumed.status(), is(ExecutionStatus.RUNNING));
        assertThat(resumed.leaseOwner(), is(poolId()));
        assertThat("only the answer committed: no claim", resumed.version(), is(parked + 1));
        Gates.release(key + ":answered");
        ExecutionSnapshot done = EngineProbe.awaitStatus(engine, id, ExecutionStatus.COMPLETED);
        assertThat(done.state(), org.hamcrest.Matchers.containsString("answered by lead-1: yes"));
    }

    @Test
    void withEveryWorkerBusyStartsWaitForALocalWorkerUpToTheBacklogAndTheRestAreLeftToTheClaimers()
            throws Exception {
        WorkerPool pool = lifecycle.pool().orElseThrow();
        int workers = engine.settings().workers();
        int backlog = engine.settings().handOffBacklog();
        List<String> busyKeys = startHeld("handoff-busy", workers);
        for (String key : busyKeys) {
            assertThat(Gates.awaitEntered(key), is(true));
        }

        List<String> waitingKeys = new ArrayList<>();
        List<ExecutionSnapshot> waiting = new ArrayList<>();
        for (int i = 0; i < backlog; i++) {
            String key = "handoff-waiting-" + i + "-" + UUID.randomUUID();
            waitingKeys.add(key);
            waiting.add(engine.start("test-gated-ask", "{\"key\":\"" + key + "\"}", "alice", null).execution());
        }
        assertThat("leased to this instance to wait for a worker",
                waiting.stream().map(ExecutionSnapshot::leaseOwner).distinct().toList(), contains(poolId()));
        Await.until("all waiting", EngineProbe.WAIT, () -> pool.waitingHandOffs() == backlog);

        String extraKey = "handoff-extra-" + UUID.randomUUID();
        ExecutionSnapshot extra = engine.start("test-gated-ask", "{\"key\":\"" + extraKey + "\"}", "alice", null).execution();
        assertThat("backlog full: not leased, left to the claimers", extra.leaseOwner(), nullValue());

        busyKeys.forEach(Gates::release);
        for (int i = 0; i < backlog; i++) {
            assertThat("a freed worker ran the waiting hand-off", Gates.awaitEntered(waitingKeys.get(i)), is(true));
            ExecutionSnapshot running = engine.get(waiting.get(i).id()).orElseThrow();
            assertThat("no claim in between", running.version(), is(waiting.get(i).version()));
            Gates.release(waitingKeys.get(i));
        }
        assertThat("a claimer ran the one beyond the backlog", Gates.awaitEntered(extraKey), is(true));
        Gates.release(extraKey);
        for (ExecutionSnapshot e : waiting) {
            EngineProbe.awaitStatus(engine, e.id(), ExecutionStatus.WAITING_AGENT);
        }
        EngineProbe.awaitStatus(engine, extra.id(), ExecutionStatus.WAITING_AGENT);

        // every worker and backlog place comes back: as many starts at once are all handed over again
        Await.until("every worker idle", EngineProbe.WAIT, () -> pool.idleWorkers() == workers);
        assertThat(pool.waitingHandOffs(), is(0));
        List<String> owners = new ArrayList<>();
        List<String> again = new ArrayList<>();
        for (int i = 0; i < workers + backlog; i++) {
            String key = "handoff-again-" + i + "-" + UUID.randomUUID();
            again.add(key);
            owners.add(engine.start("test-gated-ask", "{\"key\":\"" + key + "\"}", "alice", null).execution().leaseOwner());
        }
        for (String key : again) {
            assertThat(Gates.awaitEntered(key), is(true));
            Gates.release(key);
        }
        assertThat(owners.stream().distinct().toList(), contains(poolId()));
    }

    @Test
    void theBacklogDoesNotStarveWhatWasLeftToTheClaimers() throws Exception {
        int workers = engine.settings().workers();
        int backlog = engine.settings().handOffBacklog();
        List<String> busyKeys = startHeld("fair-busy", workers);
        for (String key : busyKeys) {
            assertThat(Gates.awaitEntered(key), is(true));
        }
        List<String> waitingKeys = startHeld("fair-waiting", backlog);
        String extraKey = "fair-extra-" + UUID.randomUUID();
        ExecutionSnapshot extra = engine.start("test-gated-ask", "{\"key\":\"" + extraKey + "\"}", "alice", null).execution();
        assertThat("backlog full: left to the claimers", extra.leaseOwner(), nullValue());

        // one worker comes free and goes on through the backlog, one held hand-off at a time
        Gates.release(busyKeys.get(0));
        int ranBefore = 0;
        while (ranBefore < backlog && !Gates.awaitEntered(extraKey, 1000)) {
            assertThat(Gates.awaitEntered(waitingKeys.get(ranBefore)), is(true));
            Gates.release(waitingKeys.get(ranBefore));
            ranBefore++;
        }
        assertThat("the claimer got a free worker before the backlog was drained (ran " + ranBefore + " of "
                + backlog + " first)", ranBefore <= 2, is(true));

        Gates.release(extraKey);
        busyKeys.forEach(Gates::release);
        waitingKeys.forEach(Gates::release);
        EngineProbe.awaitStatus(engine, extra.id(), ExecutionStatus.WAITING_AGENT);
        Await.until("every worker idle", EngineProbe.WAIT,
                () -> lifecycle.pool().orElseThrow().idleWorkers() == workers);
    }

    private List<String> startHeld(String prefix, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = prefix + "-" + i + "-" + UUID.randomUUID();
            keys.add(key);
            engine.start("test-gated-ask", "{\"key\":\"" + key + "\"}", "alice", null).execution();
        }
        return keys;
    }
}
