package io.flowguard.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.flowguard.store.ExecutionStatus;
import io.flowguard.testflows.FencedFlow;
import io.flowguard.testflows.Gates;
import io.flowguard.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Heartbeats of the real {@link WorkerPool} extend a long step's lease by the engine's clock: the
 * pool beats every 50 ms of real time, the lease lasts 30 s of the manual clock, and the test
 * moves that clock well past the first lease while the step runs; another instance claims nothing
 * and the step commits.
 */
class HeartbeatTest {

    private static final Duration STEP = Duration.ofSeconds(20);

    private final EngineHarness harness = new EngineHarness();
    private final Engine a = harness.instance("instance-a")
            .settings(TunedSettings.noWorkers().workers(1, Duration.ofMillis(50)).build())
            .flow(FencedFlow.class).build();
    private final Engine b = harness.instance("instance-b").flow(FencedFlow.class).build();

    @AfterEach
    void close() {
        a.close();
        harness.close();
    }

    @Test
    void aLongStepKeepsItsLeaseByTheEnginesClockAndNobodyElseClaimsIt() throws Exception {
        a.startWorkers();
        String key = "beating-" + UUID.randomUUID();
        UUID id = a.start("test-fenced", "{\"key\":\"" + key + "\"}", "beater", null).execution().id();
        try {
            assertThat(Gates.awaitEntered(key + ":1"), is(true));
            for (int i = 0; i < 3; i++) {
                harness.clock.advance(STEP);
                // only a heartbeat after this advance can push the lease this far
                Instant beyond = harness.clock.instant().plus(EngineHarness.LEASE).minus(STEP);
                Await.until("a heartbeat past " + beyond, Duration.ofSeconds(30),
                        () -> a.get(id).orElseThrow().leaseExpiresAt().isAfter(beyond));
                assertThat("instance-b claims nothing at +" + STEP.multipliedBy(i + 1), b.runDue(), is(0));
            }
            assertThat(a.get(id).orElseThrow().leaseOwner(), is("instance-a"));
        } finally {
            Gates.release(key + ":1");
        }

        Await.until("the step to commit", Duration.ofSeconds(30),
                () -> a.get(id).orElseThrow().status() == ExecutionStatus.COMPLETED);
        assertThat(a.get(id).orElseThrow().state(), containsString("work run 1"));
        assertThat(Gates.runs(key), is(1));
        assertThat(a.history(id, 0, 1000).stream().filter(v -> "instance-b".equals(v.actor())).toList(),
                is(List.of()));
        assertThat(HistoryOf.ofStep(a, id, "work"), is(List.of("STEP_STARTED", "STEP_COMPLETED")));
    }
}
