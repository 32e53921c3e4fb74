package io.flowguard.engine;

import java.time.Duration;
import java.util.UUID;

import io.flowguard.store.ExecutionStatus;
import io.flowguard.engine.ExecutionSnapshot;
import io.flowguard.testflows.Gates;
import io.flowguard.testing.Await;
import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * An instance claims executions only for its idle workers: two runnable executions go to two
 * workers at once (not one behind the other in one worker's batch), and while every worker is
 * busy it takes no lease, so another instance runs new work at once.
 */
@HelidonTest
@AddConfig(key = "flowguard.engine.workers", value = "0")
@AddConfig(key = "flowguard.engine.claim-batch", value = "8")
class ClaimForIdleWorkersTest {

    @Inject
    Engine engine;

    @Inject
    Instances lifecycle;

    private UUID startSlow(String key) {
        return engine.start("test-slow", "{\"key\":\"" + key + "\"}", "ivy", null).execution().id();
    }

    @Test
    void claimsOnlyForIdleWorkers() throws Exception {
        String a = "idle-a-" + UUID.randomUUID();
        String b = "idle-b-" + UUID.randomUUID();
        String c = "idle-c-" + UUID.randomUUID();
        Instances.Instance busy = lifecycle.newPool("busy-instance", 2);
        Instances.Instance other = lifecycle.newPool("other-instance", 1);
        try {
            UUID first = startSlow(a);
            UUID second = startSlow(b);
            busy.start();
            assertThat("the first execution runs", Gates.awaitEntered(a), is(true));
            assertThat("the second runs beside it, on the other idle worker", Gates.awaitEntered(b), is(true));

            UUID third = startSlow(c);
            // committed: a claimer turn that begins after this one would see it, the second surely has
            long saturatedBefore = busy.saturatedPolls();
            Await.until("two claim polls of the busy instance after the start", EngineProbe.WAIT,
                    () -> busy.saturatedPolls() >= saturatedBefore + 2);
            ExecutionSnapshot waiting = engine.get(third).orElseThrow();
            assertThat("no worker free: not claimed", waiting.leaseOwner(), nullValue());
            assertThat(waiting.status(), is(ExecutionStatus.PENDING));

            other.start();
            assertThat("another instance takes it at once", Gates.awaitEntered(c), is(true));
            assertThat(engine.get(third).orElseThrow().leaseOwner(), is("other-instance"));

            Gates.release(a);
            Gates.release(b);
            Gates.release(c);
            for (UUID id : new UUID[] {first, second, third}) {
                EngineProbe.awaitStatus(engine, id, ExecutionStatus.COMPLETED);
            }
        } finally {
            Gates.release(a);
            Gates.release(b);
            Gates.release(c);
            busy.stop(Duration.ofSeconds(5));
            other.stop(Duration.ofSeconds(5));
        }
    }
}
