package io.flowguard.engine;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.flowguard.store.ExecutionStatus;
import io.flowguard.testflows.AlwaysFailsFlow;
import io.flowguard.testflows.BloatFlow;
import io.flowguard.testflows.FailingStartFlow;
import io.flowguard.testflows.FlakyFlow;
import io.flowguard.testflows.Gates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Throwing steps are retried per policy, then fail the execution with the error recorded; nothing
 * fails silently. No container and no sleeping: a retry's backoff passes when the test moves the
 * engine's clock. (The millisecond before a backoff ends is {@link RetryBackoffTest}'s.)
 */
class StepFailuresTest {

    private static final int MAX_STATE_BYTES = 4096;

    /** One database for the class, emptied before each test. */
    @RegisterExtension
    static final EngineHarness harness = EngineHarness.perClass();
    private final Engine engine = harness.instance("instance-a").settings(TunedSettings.noWorkers().maxStateBytes(MAX_STATE_BYTES).build())
            .flow(FlakyFlow.class).flow(AlwaysFailsFlow.class).flow(FailingStartFlow.class).flow(BloatFlow.class)
            .build();

    private UUID start(String flow, String key, int grow) {
        return engine.start(flow, "{\"key\":\"" + key + "\",\"grow\":" + grow + "}", "tess", null).execution().id();
    }

    private ExecutionSnapshot status(UUID id) {
        return engine.get(id).orElseThrow();
    }

    /** Moves the clock past a scheduled retry's backoff and runs what is due: the retry runs once. */
    private void passBackoff(String key, Duration backoff) {
        int runs = Gates.runs(key);
        harness.clock.advance(backoff);
        engine.runDue();
        assertThat("the retry ran once its backoff had passed", Gates.runs(key), is(runs + 1));
    }

    @Test
    void aTransientFailureIsRetriedWithBackoffAndRecorded() {
        String key = "flaky-" + UUID.randomUUID();
        UUID id = start("test-flaky", key, 0);

        engine.runDue();
        assertThat(Gates.runs(key), is(1));
        assertThat(status(id).status(), is(ExecutionStatus.RUNNING));
        passBackoff(key, Duration.ofMillis(50));
        passBackoff(key, Duration.ofMillis(100));

        ExecutionSnapshot done = status(id);
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(Gates.runs(key), is(3));
        List<EventSnapshot> retries = engine.history(id, 0, 100).stream()
                .filter(v -> v.type().equals("RETRY_SCHEDULED")).toList();
        assertThat(retries.size(), is(2));
        assertThat(retries.get(0).detail(), containsString("attempt 1 failed: IllegalStateException: transient trouble 1"));
        assertThat(retries.get(0).detail(), containsString("next attempt in PT0.05S"));
        assertThat(retries.get(1).detail(), containsString("attempt 2 failed"));
        assertThat(retries.get(1).detail(), containsString("next attempt in PT0.1S"));
        assertThat(EngineProbe.completions(engine, id).get("shaky"), is(1L));
        assertThat(done.state(), containsString("\"shaky\""));
    }

    @Test
    void aStepOutOfRetriesFailsTheExecutionWithTypeAndMessage() {
        String key = "doomed-" + UUID.randomUUID();
        UUID id = start("test-always-fails", key, 0);

        engine.runDue();
        passBackoff(key, Duration.ofMillis(20));

        ExecutionSnapshot failed = status(id);
        assertThat(failed.status(), is(ExecutionStatus.FAILED));
        assertThat(Gates.runs(key), is(2));
        assertThat(failed.errorType(), is("step_failed"));
        assertThat(failed.error(), containsString("doomed failed after 2 attempt(s)"));
        assertThat(failed.error(), containsString("IllegalArgumentException: the ledger is closed"));
        assertThat(EngineProbe.types(engine, id), hasItem("STEP_FAILED"));
        assertThat(failed.finishedAt() != null, is(true));
    }

    @Test
    void aThrowingStartStepEndsFailedWithItsMessage() {
        UUID id = start("test-failing-start", "start-" + UUID.randomUUID(), 0);

        engine.runDue();

        ExecutionSnapshot failed = status(id);
        assertThat(failed.status(), is(ExecutionStatus.FAILED));
        assertThat(failed.error(), containsString("begin failed after 1 attempt(s)"));
        assertThat(failed.error(), containsString("start refused: no budget code"));
    }

    @Test
    void anOversizedResultFailsWithStateTooLargeAndKeepsThePreviousState() {
        UUID id = start("test-bloat", "bloat-" + UUID.randomUUID(), 10_000);

        engine.runDue();

        ExecutionSnapshot failed = status(id);
        assertThat(failed.status(), is(ExecutionStatus.FAILED));
        assertThat(failed.errorType(), is("state_too_large"));
        assertThat(failed.state(), containsString("\"begin\""));
        assertThat(failed.state(), not(containsString("xxxx")));
        assertThat(failed.state(), not(containsString("\"bloat\"")));
        assertThat(EngineProbe.completions(engine, id).containsKey("bloat"), is(false));
    }

    @Test
    void aStateUnderTheCapIsKept() {
        UUID id = start("test-bloat", "small-" + UUID.randomUUID(), 1000);

        engine.runDue();

        ExecutionSnapshot done = status(id);
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(done.state(), containsString("x".repeat(1000)));
    }

    @Test
    void anOversizedInputIsRefusedAtStart() {
        String huge = "{\"key\":\"k\",\"blob\":\"" + "y".repeat(5000) + "\"}";

        EngineException e = assertThrows(EngineException.class, () -> engine.start("test-bloat", huge, "tess", null));

        assertThat(e.problem(), is(EngineException.Problem.STATE_TOO_LARGE));
        assertThat(engine.list("tess", null, 500, 0).size(), is(0));
    }
}
