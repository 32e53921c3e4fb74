package io.flowguard.engine;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import io.flowguard.store.AgentRequest;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.testflows.WaitFlow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the engine itself refuses of an answer, on the injected clock and with no sweep in
 * between: one at or past its deadline (the store's answer-once update decides, not the sweep),
 * one to a request no longer pending, one from a caller without the request's role. Each refusal
 * is a stable problem and changes no row.
 */
class AnswerGuardsTest {

    private static final String OWNER = "asker";

    private final EngineHarness harness = new EngineHarness();
    private final Engine engine = harness.instance("answers").flow(WaitFlow.class).build();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void anAnswerAtItsDeadlineIsAConflictBeforeAnySweepRanAndChangesNothing() {
        assertRefusedLate(0);
    }

    @Test
    void anAnswerOneMillisecondPastItsDeadlineIsAConflictBeforeAnySweepRanAndChangesNothing() {
        assertRefusedLate(1);
    }

    @Test
    void anAnswerAnHourPastItsDeadlineIsAConflictBeforeAnySweepRanAndChangesNothing() {
        assertRefusedLate(Duration.ofHours(1).toMillis());
    }

    @Test
    void anAnswerOneMillisecondBeforeItsDeadlineIsAccepted() {
        RequestSnapshot request = waitingRequest();
        harness.clock.advance(Duration.between(harness.clock.instant(), request.deadline()).minusMillis(1));

        ExecutionSnapshot resumed = answer(request);

        assertThat(resumed.status(), is(ExecutionStatus.RUNNING));
        assertThat(status(request), is(AgentRequest.Status.ANSWERED));
        engine.runDue();
        ExecutionSnapshot done = engine.get(request.executionId()).orElseThrow();
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(done.state(), containsString("answered by lead"));
    }

    @Test
    void aSecondAnswerIsAConflictAndChangesNothing() {
        RequestSnapshot request = waitingRequest();
        answer(request);
        OwnerRows before = OwnerRows.of(harness.dataSource, OWNER);

        EngineException refused = assertThrows(EngineException.class, () -> answer(request));

        assertThat(refused.problem(), is(EngineException.Problem.CONFLICT));
        assertThat(OwnerRows.of(harness.dataSource, OWNER), is(before));
    }

    @Test
    void anAnswerToACancelledExecutionsRequestIsAConflictAndChangesNothing() {
        RequestSnapshot request = waitingRequest();
        engine.cancel(request.executionId(), OWNER, null, "no longer needed");
        assertThat(status(request), is(AgentRequest.Status.CANCELLED));
        OwnerRows before = OwnerRows.of(harness.dataSource, OWNER);

        EngineException refused = assertThrows(EngineException.class, () -> answer(request));

        assertThat(refused.problem(), is(EngineException.Problem.CONFLICT));
        assertThat(OwnerRows.of(harness.dataSource, OWNER), is(before));
    }

    @Test
    void aCallerWithoutTheRequestsRoleIsForbiddenAndChangesNothing() {
        RequestSnapshot request = waitingRequest();
        OwnerRows before = OwnerRows.of(harness.dataSource, OWNER);

        for (Set<String> roles : Set.of(Set.<String>of(), Set.of("ceo"), Set.of("ceo", "cto", "product_manager"))) {
            EngineException refused = assertThrows(EngineException.class,
                    () -> engine.answer(request.id(), roles, "intruder", "{\"go\":true}"), roles.toString());
            assertThat(refused.problem(), is(EngineException.Problem.FORBIDDEN));
        }

        assertThat(OwnerRows.of(harness.dataSource, OWNER), is(before));
        assertThat("the request is still answerable by its role", answer(request).status(),
                is(ExecutionStatus.RUNNING));
    }

    /** Answers at {@code pastDeadline} ms past the deadline: refused, nothing written, the sweep ends the wait. */
    private void assertRefusedLate(long pastDeadline) {
        RequestSnapshot request = waitingRequest();
        harness.clock.advance(Duration.between(harness.clock.instant(), request.deadline()).plusMillis(pastDeadline));
        OwnerRows before = OwnerRows.of(harness.dataSource, OWNER);

        EngineException refused = assertThrows(EngineException.class, () -> answer(request));

        assertThat(refused.problem(), is(EngineException.Problem.CONFLICT));
        assertThat(refused.getMessage(), containsString("deadline"));
        assertThat(OwnerRows.of(harness.dataSource, OWNER), is(before));
        engine.runDue();
        assertThat("the sweep, not the answer, ends the wait",
                engine.get(request.executionId()).orElseThrow().status(), is(ExecutionStatus.TIMED_OUT));
    }

    private RequestSnapshot waitingRequest() {
        UUID id = engine.start("test-wait", "{\"key\":\"w\"}", OWNER, null).execution().id();
        engine.runDue();
        assertThat(engine.get(id).orElseThrow().status(), is(ExecutionStatus.WAITING_AGENT));
        return engine.inbox(Set.of("test_lead"), id, 10).get(0);
    }

    private ExecutionSnapshot answer(RequestSnapshot request) {
        return engine.answer(request.id(), Set.of("test_lead"), "lead", "{\"go\":true}");
    }

    private AgentRequest.Status status(RequestSnapshot request) {
        return harness.store.transaction(tx -> tx.request(request.id())).status();
    }
}
