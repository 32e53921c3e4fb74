package io.flowguard.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.flowguard.store.AgentRequest;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.FlowExecution;
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
    ExecutionEngine engine;
    @Inject
    EngineLifecycle lifecycle;
    @Inject
    EngineComponents components;

    private String poolId() {
        return lifecycle.pool().orElseThrow().id();
    }

    @Test
    void aStartRunsOnALocalWorkerWithoutAClaim() throws Exception {
        String key = "handoff-start-" + UUID.randomUUID();
        FlowExecution started = engine.start("test-gated-ask", "{\"key\":\"" + key + "\"}", "alice");

        assertThat("leased in the start's own transaction", started.leaseOwner(), is(poolId()));
        assertThat(Gates.awaitEntered(key), is(true));
        FlowExecution running = engine.get(started.id()).orElseThrow();
        assertThat(running.leaseOwner(), is(poolId()));
        assertThat("only the start committed: no claim", running.version(), is(started.version()));
        Gates.release(key);
        EngineProbe.awaitStatus(engine, started.id(), ExecutionStatus.WAITING_AGENT);
    }

    @Test
    void anAnswerResumesOnALocalWorkerWithoutAClaimAndGivesTheStepItsAnswer() throws Exception {
        String key = "handoff-answer-" + UUID.randomUUID();
        UUID id = engine.start("test-gated-answer", "{\"key\":\"" + key + "\"}", "alice").id();
        long parked = EngineProbe.awaitStatus(engine, id, ExecutionStatus.WAITING_AGENT).version();
        AgentRequest request = engine.inbox(LEAD, id, 10).get(0);

        engine.answer(request.id(), LEAD, "lead-1", "{\"go\":\"yes\"}");

        assertThat(Gates.awaitEntered(key + ":answered"), is(true));
        FlowExecution resumed = engine.get(id).orElseThrow();
        assertThat(resumed.status(), is(ExecutionStatus.RUNNING));
        assertThat(resumed.leaseOwner(), is(poolId()));
        assertThat("only the answer committed: no claim", resumed.version(), is(parked + 1));
        Gates.release(key + ":answered");
        FlowExecution done = EngineProbe.awaitStatus(engine, id, ExecutionStatus.COMPLETED);
        assertThat(done.state(), org.hamcrest.Matchers.containsString("answered by lead-1: yes"));
    }

    @Test
    void withEveryWorkerBusyAStartIsLeftToTheClaimersAndTheWorkersComeBack() throws Exception {
        WorkerPool pool = lifecycle.pool().orElseThrow();
        int workers = components.settings().workers();
        List<String> keys = new ArrayList<>();
        List<UUID> busy = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            String key = "handoff-busy-" + i + "-" + UUID.randomUUID();
            keys.add(key);
            busy.add(engine.start("test-gated-ask", "{\"key\":\"" + key + "\"}", "alice").id());
        }
        for (String key : keys) {
            assertThat(Gates.awaitEntered(key), is(true));
        }

        String extraKey = "handoff-extra-" + UUID.randomUUID();
        FlowExecution extra = engine.start("test-gated-ask", "{\"key\":\"" + extraKey + "\"}", "alice");
        assertThat("no idle worker: not leased", extra.leaseOwner(), nullValue());

        keys.forEach(Gates::release);
        for (UUID id : busy) {
            EngineProbe.awaitStatus(engine, id, ExecutionStatus.WAITING_AGENT);
        }
        assertThat("a claimer ran it", Gates.awaitEntered(extraKey), is(true));
        Gates.release(extraKey);
        EngineProbe.awaitStatus(engine, extra.id(), ExecutionStatus.WAITING_AGENT);

        // every reserved worker comes back: as many starts at once are all handed over again
        Await.until("every worker idle", EngineProbe.WAIT, () -> pool.idleWorkers() == workers);
        List<String> again = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            String key = "handoff-again-" + i + "-" + UUID.randomUUID();
            again.add(key);
            owners.add(engine.start("test-gated-ask", "{\"key\":\"" + key + "\"}", "alice").leaseOwner());
        }
        again.forEach(k -> {
            try {
                Gates.awaitEntered(k);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            Gates.release(k);
        });
        assertThat(owners.stream().distinct().toList(), contains(poolId()));
    }
}
