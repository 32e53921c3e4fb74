package io.flowguard.engine;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import io.flowguard.examples.FeatureApprovalFlow;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.testflows.Gates;
import io.flowguard.testflows.SlowFlow;
import io.flowguard.testflows.WaitFlow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Cancellation ends pending waits and future steps; a running step's result is discarded at commit.
 * No container: the test drives the engine ({@link Engine#runDue()}) and holds the running step on a gate.
 */
class CancellationTest {

    private static final Set<String> LEAD = Set.of("test_lead");

    /** One database for the class, emptied before each test. */
    @RegisterExtension
    static final EngineHarness harness = EngineHarness.perClass();
    private final Engine engine = harness.instance("instance-a")
            .flow(WaitFlow.class).flow(SlowFlow.class).flow(FeatureApprovalFlow.class).build();

    private ExecutionSnapshot status(UUID id) {
        return engine.get(id).orElseThrow();
    }

    private UUID waiting(String key) {
        UUID id = engine.start("test-wait", "{\"key\":\"" + key + "\"}", "uma", null).execution().id();
        engine.runDue();
        assertThat(status(id).status(), is(ExecutionStatus.WAITING_AGENT));
        return id;
    }

    @Test
    void cancellingAWaitingExecutionEndsItsRequestAndRefusesLateAnswers() {
        UUID id = waiting("w");
        RequestSnapshot request = engine.inbox(LEAD, id, 10).get(0);

        ExecutionSnapshot cancelled = engine.cancel(id, "uma", null, null);

        assertThat(cancelled.status(), is(ExecutionStatus.CANCELLED));
        assertThat(engine.inbox(LEAD, null, 500).stream().anyMatch(r -> r.id().equals(request.id())), is(false));
        EngineException late = assertThrows(EngineException.class,
                () -> engine.answer(request.id(), LEAD, "tl", "{\"ok\":true}"));
        assertThat(late.problem(), is(EngineException.Problem.CONFLICT));
        assertThat(status(id).status(), is(ExecutionStatus.CANCELLED));
    }

    @Test
    void aRunningStepsResultIsDiscardedAndNoLaterStepRuns() throws Exception {
        String key = "cancel-running-" + UUID.randomUUID();
        UUID id = engine.start("test-slow", "{\"key\":\"" + key + "\"}", "uma", null).execution().id();
        Thread worker = Thread.ofPlatform().start(engine::runDue);
        assertThat(Gates.awaitEntered(key), is(true));

        engine.cancel(id, "uma", null, null);
        Gates.release(key);
        worker.join(Duration.ofSeconds(30).toMillis());
        assertThat(worker.isAlive(), is(false));

        ExecutionSnapshot after = status(id);
        assertThat(after.status(), is(ExecutionStatus.CANCELLED));
        assertThat(EngineProbe.types(engine, id), hasItem("RESULT_DISCARDED"));
        assertThat(EngineProbe.completions(engine, id).containsKey("slow"), is(false));
        assertThat(EngineProbe.completions(engine, id).containsKey("finish"), is(false));
        assertThat(after.state().contains("slow:"), is(false));
        assertThat(EngineProbe.types(engine, id), hasItem("CANCELLED"));
        assertThat("nothing is left to run", engine.runDue(), is(0));
    }

    @Test
    void cancellingAFinishedExecutionIsAConflictAndChangesNothing() {
        UUID id = engine.start("feature-approval", "{\"featureName\":\"c\",\"estimatedCost\":5}", "uma", null)
                .execution().id();
        engine.runDue();
        ExecutionSnapshot done = status(id);
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));

        EngineException e = assertThrows(EngineException.class, () -> engine.cancel(id, "uma", null, null));

        assertThat(e.problem(), is(EngineException.Problem.CONFLICT));
        assertThat(status(id).version(), is(done.version()));
    }

    @Test
    void aStaleExpectedVersionIsRefused() {
        UUID id = waiting("v");
        ExecutionSnapshot waiting = status(id);

        EngineException e = assertThrows(EngineException.class,
                () -> engine.cancel(id, "uma", waiting.version() - 1, null));

        assertThat(e.problem(), is(EngineException.Problem.STALE_VERSION));
        assertThat(status(id).status(), is(ExecutionStatus.WAITING_AGENT));
        assertThat(engine.cancel(id, "uma", waiting.version(), null).status(), is(ExecutionStatus.CANCELLED));
    }

    @Test
    void cancellingAnUnknownExecutionIsNotFound() {
        EngineException e = assertThrows(EngineException.class,
                () -> engine.cancel(UUID.randomUUID(), "uma", null, null));
        assertThat(e.problem(), is(EngineException.Problem.NOT_FOUND));
    }
}
