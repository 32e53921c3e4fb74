package io.flowguard.engine;

import java.util.List;
import java.util.UUID;

import io.flowguard.engine.EventSnapshot;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.engine.ExecutionSnapshot;
import io.flowguard.testflows.Gates;
import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** Throwing steps are retried per policy, then fail the execution with the error recorded; nothing fails silently. */
@HelidonTest
@AddConfig(key = "flowguard.state.max-bytes", value = "4096")
class StepFailuresTest {

    @Inject
    Engine engine;

    private UUID start(String flow, String key, int grow) {
        return engine.start(flow, "{\"key\":\"" + key + "\",\"grow\":" + grow + "}", "tess", null).execution().id();
    }

    @Test
    void aTransientFailureIsRetriedWithBackoffAndRecorded() {
        String key = "flaky-" + UUID.randomUUID();
        UUID id = start("test-flaky", key, 0);

        ExecutionSnapshot done = EngineProbe.awaitStatus(engine, id, ExecutionStatus.COMPLETED);

        assertThat(Gates.runs(key), is(3));
        List<EventSnapshot> retries = engine.history(id, 0, 100).stream()
                .filter(v -> v.type().equals("RETRY_SCHEDULED")).toList();
        assertThat(retries.size(), is(2));
        assertThat(retries.get(0).detail(), containsString("attempt 1 failed: IllegalStateException: transient trouble 1"));
        assertThat(retries.get(1).detail(), containsString("attempt 2 failed"));
        assertThat(retries.get(1).detail(), containsString("next attempt in PT0.1S"));
        assertThat(EngineProbe.completions(engine, id).get("shaky"), is(1L));
        assertThat(done.state(), containsString("\"shaky\""));
    }

    @Test
    void aStepOutOfRetriesFailsTheExecutionWithTypeAndMessage() {
        String key = "doomed-" + UUID.randomUUID();
        UUID id = start("test-always-fails", key, 0);

        ExecutionSnapshot failed = EngineProbe.awaitStatus(engine, id, ExecutionStatus.FAILED);

        assertThat(Gates.runs(key), is(2));
        assertThat(failed.errorType(), is("step_failed"));
        assertThat(failed.error(), containsString("doomed failed after 2 attempt(s)"));
        assertThat(failed.error(), containsString("IllegalArgumentException: the ledger is closed"));
        assertThat(EngineProbe.types(engine, id), org.hamcrest.Matchers.hasItem("STEP_FAILED"));
        assertThat(failed.finishedAt() != null, is(true));
    }

    @Test
    void aThrowingStartStepEndsFailedWithItsMessage() {
        UUID id = start("test-failing-start", "start-" + UUID.randomUUID(), 0);

        ExecutionSnapshot failed = EngineProbe.awaitStatus(engine, id, ExecutionStatus.FAILED);

        assertThat(failed.error(), containsString("begin failed after 1 attempt(s)"));
        assertThat(failed.error(), containsString("start refused: no budget code"));
    }

    @Test
    void anOversizedResultFailsWithStateTooLargeAndKeepsThePreviousState() {
        UUID id = start("test-bloat", "bloat-" + UUID.randomUUID(), 10_000);

        ExecutionSnapshot failed = EngineProbe.awaitStatus(engine, id, ExecutionStatus.FAILED);

        assertThat(failed.errorType(), is("state_too_large"));
        assertThat(failed.state(), containsString("\"begin\""));
        assertThat(failed.state(), not(containsString("xxxx")));
        assertThat(failed.state(), not(containsString("\"bloat\"")));
        assertThat(EngineProbe.completions(engine, id).containsKey("bloat"), is(false));
    }

    @Test
    void aStateUnderTheCapIsKept() {
        UUID id = start("test-bloat", "small-" + UUID.randomUUID(), 1000);

        ExecutionSnapshot done = EngineProbe.awaitStatus(engine, id, ExecutionStatus.COMPLETED);

        assertThat(done.state(), containsString("x".repeat(1000)));
    }

    @Test
    void anOversizedInputIsRefusedAtStart() {
        int before = engine.list("tess", null, 500, 0).size();
        String huge = "{\"key\":\"k\",\"blob\":\"" + "y".repeat(5000) + "\"}";

        EngineException e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class,
                () -> engine.start("test-bloat", huge, "tess", null).execution());

        assertThat(e.problem(), is(EngineException.Problem.STATE_TOO_LARGE));
        assertThat(engine.list("tess", null, 500, 0).size(), is(before));
    }
}
