package io.flowguard.engine;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.flowguard.store.ExecutionStatus;
import io.flowguard.testflows.FencedFlow;
import io.flowguard.testflows.Gates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A cancellation that commits while a step runs: the step's result is discarded when it tries to
 * commit (recorded as {@code RESULT_DISCARDED}), the state stays as the cancellation left it, and
 * the step is not run again.
 */
class CancelWhileRunningTest {

    private final EngineHarness harness = new EngineHarness();
    private final Engine engine = harness.instance("worker").flow(FencedFlow.class).build();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void theResultOfAStepRunningAtCancellationIsDiscarded() throws Exception {
        String key = "cancel-" + UUID.randomUUID();
        UUID id = engine.start("test-fenced", "{\"key\":\"" + key + "\"}", "canceller", null).execution().id();
        Thread worker = Thread.ofPlatform().start(engine::runDue);
        ExecutionSnapshot cancelled;
        try {
            assertThat(Gates.awaitEntered(key + ":1"), is(true));
            cancelled = engine.cancel(id, "canceller", null, "changed my mind");
            assertThat(cancelled.status(), is(ExecutionStatus.CANCELLED));
        } finally {
            Gates.release(key + ":1");
        }
        worker.join(Duration.ofSeconds(30).toMillis());
        assertThat(worker.isAlive(), is(false));

        ExecutionSnapshot after = engine.get(id).orElseThrow();
        assertThat(after.status(), is(ExecutionStatus.CANCELLED));
        assertThat("the state is the one the cancellation committed", after.state(), is(cancelled.state()));
        assertThat("only the discard was recorded since", after.version(), is(cancelled.version() + 1));
        assertThat(HistoryOf.ofStep(engine, id, "work"), is(List.of("RESULT_DISCARDED")));
        assertThat(HistoryOf.events(engine, id, "RESULT_DISCARDED").get(0).actor(), is("worker"));
        assertThat(Gates.runs(key), is(1));
        assertThat(engine.runDue(), is(0));
    }
}
