package io.flowguard.engine;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.flowguard.examples.FeatureApprovalFlow;
import io.flowguard.store.AgentRequest;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.testflows.WaitFlow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * Agent deadlines fire by the engine's clock in {@link Engine#runDue()}: one millisecond before
 * the deadline nothing fires; at the deadline the execution times out, or takes the flow's
 * timeout path where the flow declares one.
 */
class AgentDeadlineTest {

    private final EngineHarness harness = new EngineHarness();
    private final Engine engine = harness.instance("sweeper")
            .flow(WaitFlow.class).flow(FeatureApprovalFlow.class).build();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void withoutATimeoutPathTheExecutionTimesOutAtTheDeadline() {
        UUID id = engine.start("test-wait", "{\"key\":\"deadline\"}", "waiter", null).execution().id();
        RequestSnapshot request = waitingFor(id, "test_lead");
        assertThat("a year asked for, the operator's cap granted",
                Duration.between(request.createdAt(), request.deadline()), is(engine.settings().maxAgentWait()));

        nothingFiresJustBefore(request);

        assertThat(engine.runDue(), is(1));
        ExecutionSnapshot timedOut = engine.get(id).orElseThrow();
        assertThat(timedOut.status(), is(ExecutionStatus.TIMED_OUT));
        assertThat(timedOut.errorType(), is("agent_timeout"));
        assertThat(timedOut.error(), containsString("agent role test_lead did not answer step ask"));
        assertThat(timedOut.finishedAt(), is(request.deadline()));
        assertThat(status(request), is(AgentRequest.Status.TIMED_OUT));
        assertThat(HistoryOf.events(engine, id, "TIMED_OUT"), hasSize(1));
    }

    @Test
    void aDeclaredTimeoutPathRunsAtTheDeadline() {
        UUID id = engine.start("feature-approval", "{\"featureName\":\"f\",\"estimatedCost\":7000000}", "waiter",
                null).execution().id();
        RequestSnapshot request = waitingFor(id, "ceo");

        nothingFiresJustBefore(request);

        engine.runDue();
        ExecutionSnapshot done = engine.get(id).orElseThrow();
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(done.state(), containsString("\"decision\":\"TIMED_OUT\""));
        assertThat(status(request), is(AgentRequest.Status.TIMED_OUT));
        assertThat(HistoryOf.ofStep(engine, id, "noAnswer"), is(List.of("STEP_STARTED", "STEP_COMPLETED")));
        assertThat(HistoryOf.ofStep(engine, id, "recordDecision"), is(List.of()));
    }

    private RequestSnapshot waitingFor(UUID id, String role) {
        engine.runDue();
        assertThat(engine.get(id).orElseThrow().status(), is(ExecutionStatus.WAITING_AGENT));
        return engine.inbox(Set.of(role), id, 10).get(0);
    }

    /** Moves the clock to 1 ms before the deadline, where nothing may fire, then onto the deadline. */
    private void nothingFiresJustBefore(RequestSnapshot request) {
        harness.clock.advance(Duration.between(harness.clock.instant(), request.deadline()).minusMillis(1));
        ExecutionSnapshot before = engine.get(request.executionId()).orElseThrow();

        assertThat("1 ms before the deadline", engine.runDue(), is(0));

        assertThat(engine.get(request.executionId()).orElseThrow(), is(before));
        assertThat(status(request), is(AgentRequest.Status.PENDING));
        harness.clock.advance(Duration.ofMillis(1));
    }

    private AgentRequest.Status status(RequestSnapshot request) {
        return harness.store.transaction(tx -> tx.request(request.id())).status();
    }
}
