package io.flowguard.engine;

import java.util.UUID;

import io.flowguard.store.ExecutionEvent;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.FlowExecution;
import io.flowguard.testflows.Gates;
import io.flowguard.testing.Await;
import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * A worker stalled past its lease cannot commit: another instance reclaims the execution, runs the
 * step again (at-least-once, same step-run id) and finishes it; the stalled result is thrown away.
 */
@HelidonTest
@AddConfig(key = "flowguard.engine.workers", value = "0")
@AddConfig(key = "flowguard.engine.lease-duration", value = "PT1.5S")
@AddConfig(key = "flowguard.engine.heartbeat-interval", value = "PT0.3S")
class LeaseFencingTest {

    @Inject
    ExecutionEngine engine;

    @Inject
    EngineLifecycle lifecycle;

    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void aStalledWorkerLosesItsLeaseAndCannotCommit() throws Exception {
        WorkerPool stalled = lifecycle.newPool("stalled-instance", 1);
        WorkerPool healthy = lifecycle.newPool("healthy-instance", 1);
        String key = "fence-" + UUID.randomUUID();
        try {
            stalled.start();
            UUID id = engine.start("test-slow", "{\"key\":\"" + key + "\"}", "xena").id();
            assertThat(Gates.awaitEntered(key), is(true));
            stalled.pauseHeartbeats();
            FlowExecution held = engine.get(id).orElseThrow();
            assertThat(held.leaseOwner(), is("stalled-instance"));

            Thread.sleep(2000); // past the 1.5 s lease, with no heartbeat
            double reclaimsBefore = meters.counter("flowguard.lease.reclaims").count();
            healthy.start();
            FlowExecution done = EngineProbe.awaitStatus(engine, id, ExecutionStatus.COMPLETED);
            assertThat("the healthy instance reclaimed the stalled one's lease, and the metric says so",
                    meters.counter("flowguard.lease.reclaims").count(), is(reclaimsBefore + 1));
            Gates.release(key); // the stalled step now finishes and tries to commit

            Await.until("the stalled worker to give up", EngineProbe.WAIT, () -> Gates.runs(key) == 2);
            Thread.sleep(500);
            FlowExecution after = engine.get(id).orElseThrow();
            assertThat(after.status(), is(ExecutionStatus.COMPLETED));
            assertThat(after.version(), is(done.version()));
            assertThat(EngineProbe.completions(engine, id).get("slow"), is(1L));
            ExecutionEvent slowDone = engine.history(id, 0, 100).stream()
                    .filter(v -> "STEP_COMPLETED".equals(v.type()) && "slow".equals(v.step())).findFirst().orElseThrow();
            assertThat(slowDone.actor(), is("healthy-instance"));
            assertThat(slowDone.stepRunId(), is(id + ":slow"));
            assertThat(after.state(), containsString("slow:" + id + ":slow"));
            assertThat(engine.history(id, 0, 100).stream().anyMatch(v -> "stalled-instance".equals(v.actor())
                    && "slow".equals(v.step())), is(false));
            assertThat(after.leaseOwner(), is(not("stalled-instance")));
        } finally {
            Gates.release(key);
            stalled.kill();
            healthy.stop(java.time.Duration.ofSeconds(5));
        }
    }
}
