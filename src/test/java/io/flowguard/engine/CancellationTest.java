package io.flowguard.engine;

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
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Cancellation ends pending waits and future steps; a running step's result is discarded at commit. */
@HelidonTest
class CancellationTest {

    @Inject
    Engine engine;

    @Test
    void cancellingAWaitingExecutionEndsItsRequestAndRefusesLateAnswers() {
        UUID id = engine.start("test-wait", "{\"key\":\"w\"}", "uma", null).execution().id();
        EngineProbe.awaitStatus(engine, id, ExecutionStatus.WAITING_AGENT);
        RequestSnapshot request = engine.inbox(Set.of("test_lead"), null, 500).stream()
                .filter(r -> r.executionId().equals(id)).findFirst().orElseThrow();

        ExecutionSnapshot cancelled = engine.cancel(id, "uma", null, null);

        assertThat(cancelled.status(), is(ExecutionStatus.CANCELLED));
        assertThat(engine.inbox(Set.of("test_lead"), null, 500).stream().anyMatch(r -> r.id().equals(request.id())), is(false));
        EngineException late = assertThrows(EngineException.class,
                () -> engine.answer(request.id(), Set.of("test_lead"), "tl", "{\"ok\":true}"));
        assertThat(late.problem(), is(EngineException.Problem.CONFLICT));
        assertThat(engine.get(id).orElseThrow().status(), is(ExecutionStatus.CANCELLED));
    }

    @Test
    void aRunningStepsResultIsDiscardedAndNoLaterStepRuns() throws Exception {
        String key = "cancel-running-" + UUID.randomUUID();
        UUID id = engine.start("test-slow", "{\"key\":\"" + key + "\"}", "uma", null).execution().id();
        assertThat(Gates.awaitEntered(key), is(true));

        engine.cancel(id, "uma", null, null);
        Gates.release(key);

        Await.until("the discarded result to be recorded", EngineProbe.WAIT,
                () -> EngineProbe.types(engine, id).contains("RESULT_DISCARDED"));
        ExecutionSnapshot after = engine.get(id).orElseThrow();
        assertThat(after.status(), is(ExecutionStatus.CANCELLED));
        assertThat(EngineProbe.completions(engine, id).containsKey("slow"), is(false));
        assertThat(EngineProbe.completions(engine, id).containsKey("finish"), is(false));
        assertThat(after.state().contains("slow:"), is(false));
        assertThat(EngineProbe.types(engine, id), hasItem("CANCELLED"));
    }

    @Test
    void cancellingAFinishedExecutionIsAConflictAndChangesNothing() {
        UUID id = engine.start("campaign-launch", "{\"name\":\"c\",\"budget\":5}", "uma", null).execution().id();
        ExecutionSnapshot done = EngineProbe.awaitStatus(engine, id, ExecutionStatus.COMPLETED);

        EngineException e = assertThrows(EngineException.class, () -> engine.cancel(id, "uma", null, null));

        assertThat(e.problem(), is(EngineException.Problem.CONFLICT));
        assertThat(engine.get(id).orElseThrow().version(), is(done.version()));
    }

    @Test
    void aStaleExpectedVersionIsRefused() {
        UUID id = engine.start("test-wait", "{\"key\":\"v\"}", "uma", null).execution().id();
        ExecutionSnapshot waiting = EngineProbe.awaitStatus(engine, id, ExecutionStatus.WAITING_AGENT);

        EngineException e = assertThrows(EngineException.class, () -> engine.cancel(id, "uma", waiting.version() - 1, null));

        assertThat(e.problem(), is(EngineException.Problem.STALE_VERSION));
        assertThat(engine.get(id).orElseThrow().status(), is(ExecutionStatus.WAITING_AGENT));
        assertThat(engine.cancel(id, "uma", waiting.version(), null).status(), is(ExecutionStatus.CANCELLED));
    }

    @Test
    void cancellingAnUnknownExecutionIsNotFound() {
        EngineException e = assertThrows(EngineException.class, () -> engine.cancel(UUID.randomUUID(), "uma", null, null));
        assertThat(e.problem(), is(EngineException.Problem.NOT_FOUND));
    }
}
