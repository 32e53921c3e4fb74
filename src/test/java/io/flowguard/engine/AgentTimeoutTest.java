package io.flowguard.engine;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import io.flowguard.examples.FeatureApprovalFlow;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.testflows.WaitFlow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Agent waits end at their deadline: a declared timeout path runs, otherwise the execution ends
 * TIMED_OUT with the reason; flows may ask for any wait but the operator's cap wins; a late answer
 * is refused; deadlines live in the database and fire after a restart. No container and no
 * sleeping: the deadline comes when the test moves the engine's clock. (The millisecond either
 * side of a deadline is {@link AgentDeadlineTest}'s and {@link AnswerGuardsTest}'s.)
 */
class AgentTimeoutTest {

    private static final Duration DEFAULT_WAIT = Duration.ofMinutes(1);
    private static final Duration MAX_WAIT = Duration.ofMinutes(5);
    private static final Set<String> LEAD = Set.of("test_lead");

    /** One database for the class, emptied before each test. */
    @RegisterExtension
    static final EngineHarness harness = EngineHarness.perClass();
    private final Engine engine = instance("instance-a");

    private Engine instance(String id) {
        return harness.instance(id).settings(TunedSettings.noWorkers().agentWaits(DEFAULT_WAIT, MAX_WAIT).build())
                .flow(FeatureApprovalFlow.class).flow(WaitFlow.class).build();
    }

    private ExecutionSnapshot status(UUID id) {
        return engine.get(id).orElseThrow();
    }

    private RequestSnapshot requestOf(UUID id, Set<String> roles) {
        return engine.inbox(roles, id, 10).stream().findFirst().orElseThrow();
    }

    private UUID waiting(String flow, String input) {
        UUID id = engine.start(flow, input, "vic", null).execution().id();
        engine.runDue();
        assertThat(status(id).status(), is(ExecutionStatus.WAITING_AGENT));
        return id;
    }

    @Test
    void anUnansweredCeoQuestionTakesTheRecordedTimeoutPath() {
        UUID id = waiting("feature-approval", "{\"featureName\":\"f\",\"estimatedCost\":7000000}");
        RequestSnapshot request = requestOf(id, Set.of("ceo"));
        assertThat("a flow asking without a wait gets the default",
                Duration.between(request.createdAt(), request.deadline()), is(DEFAULT_WAIT));

        harness.clock.advance(DEFAULT_WAIT);
        engine.runDue();

        ExecutionSnapshot done = status(id);
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(done.state(), containsString("\"decision\":\"TIMED_OUT\""));
        assertThat(done.state(), containsString("did not answer before the deadline"));
        assertThat(EngineProbe.types(engine, id), hasItem("TIMED_OUT"));
        assertThat(EngineProbe.completions(engine, id).get("noAnswer"), is(1L));
        assertThat(EngineProbe.completions(engine, id).containsKey("recordDecision"), is(false));
    }

    @Test
    void withoutATimeoutPathTheExecutionEndsTimedOutWithTheReason() {
        UUID id = waiting("test-wait", "{\"key\":\"t\"}");

        harness.clock.advance(MAX_WAIT);
        engine.runDue();

        ExecutionSnapshot timedOut = status(id);
        assertThat(timedOut.status(), is(ExecutionStatus.TIMED_OUT));
        assertThat(timedOut.errorType(), is("agent_timeout"));
        assertThat(timedOut.error(), containsString("agent role test_lead did not answer step ask"));
    }

    @Test
    void aFlowsLongWaitIsCappedByTheOperatorsMaximum() {
        UUID id = waiting("test-wait", "{\"key\":\"cap\"}");
        RequestSnapshot request = requestOf(id, LEAD);

        assertThat("the flow asks for a year", Duration.between(request.createdAt(), request.deadline()), is(MAX_WAIT));
    }

    @Test
    void anAnswerAfterTheDeadlineFiredIsRejected() {
        UUID id = waiting("test-wait", "{\"key\":\"late\"}");
        RequestSnapshot request = requestOf(id, LEAD);
        harness.clock.advance(MAX_WAIT);
        engine.runDue();
        assertThat(status(id).status(), is(ExecutionStatus.TIMED_OUT));

        EngineException e = assertThrows(EngineException.class,
                () -> engine.answer(request.id(), LEAD, "tl", "{\"ok\":true}"));

        assertThat(e.problem(), is(EngineException.Problem.CONFLICT));
        assertThat(status(id).status(), is(ExecutionStatus.TIMED_OUT));
    }

    @Test
    void aDeadlineThatPassedWhileNoInstanceRanFiresOnTheInstanceThatComesUp() {
        Engine before = instance("before-restart");
        UUID id = before.start("feature-approval", "{\"featureName\":\"r\",\"estimatedCost\":8000000}", "yuri", null)
                .execution().id();
        before.runDue();
        assertThat(status(id).status(), is(ExecutionStatus.WAITING_AGENT));
        before.close();

        harness.clock.advance(DEFAULT_WAIT.plusSeconds(1)); // the deadline passes while no instance runs
        assertThat(status(id).status(), is(ExecutionStatus.WAITING_AGENT));

        Engine after = instance("after-restart");
        after.runDue();

        ExecutionSnapshot done = status(id);
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(done.state(), containsString("\"decision\":\"TIMED_OUT\""));
        assertThat(engine.history(id, 0, 100).stream().filter(v -> v.type().equals("TIMED_OUT"))
                .findFirst().orElseThrow().actor(), is("after-restart"));
    }
}
