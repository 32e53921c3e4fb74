package io.flowguard.engine;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import io.flowguard.engine.RequestSnapshot;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.engine.ExecutionSnapshot;
import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Agent waits end at their deadline: a declared timeout path runs, otherwise the execution ends
 * TIMED_OUT with the reason; flows may ask for any wait but the operator's cap wins.
 */
@HelidonTest
@AddConfig(key = "flowguard.agent-wait.default", value = "PT1S")
@AddConfig(key = "flowguard.agent-wait.max", value = "PT3S")
class AgentTimeoutTest {

    @Inject
    Engine engine;

    @Test
    void anUnansweredCeoQuestionTakesTheRecordedTimeoutPath() {
        UUID id = engine.start("feature-approval",
                "{\"featureName\":\"f\",\"estimatedCost\":7000000}", "vic", null).execution().id();

        ExecutionSnapshot done = EngineProbe.awaitStatus(engine, id, ExecutionStatus.COMPLETED);

        assertThat(done.state(), containsString("\"decision\":\"TIMED_OUT\""));
        assertThat(done.state(), containsString("did not answer before the deadline"));
        assertThat(EngineProbe.types(engine, id), hasItem("TIMED_OUT"));
        assertThat(EngineProbe.completions(engine, id).get("noAnswer"), is(1L));
        assertThat(EngineProbe.completions(engine, id).containsKey("recordDecision"), is(false));
    }

    @Test
    void withoutATimeoutPathTheExecutionEndsTimedOutWithTheReason() {
        UUID id = engine.start("test-wait", "{\"key\":\"t\"}", "vic", null).execution().id();

        ExecutionSnapshot timedOut = EngineProbe.awaitStatus(engine, id, ExecutionStatus.TIMED_OUT);

        assertThat(timedOut.errorType(), is("agent_timeout"));
        assertThat(timedOut.error(), containsString("agent role test_lead did not answer step ask"));
    }

    @Test
    void aFlowsLongWaitIsCappedByTheOperatorsMaximum() {
        UUID id = engine.start("test-wait", "{\"key\":\"cap\"}", "vic", null).execution().id();
        ExecutionSnapshot waiting = EngineProbe.awaitStatus(engine, id, ExecutionStatus.WAITING_AGENT);
        RequestSnapshot request = engine.inbox(Set.of("test_lead"), null, 500).stream()
                .filter(r -> r.executionId().equals(id)).findFirst().orElseThrow();

        Duration granted = Duration.between(request.createdAt(), request.deadline());

        assertThat(granted.toMillis(), lessThanOrEqualTo(3000L));
        assertThat(waiting.status(), is(ExecutionStatus.WAITING_AGENT));
    }

    @Test
    void anAnswerAfterTheDeadlineIsRejected() {
        UUID id = engine.start("test-wait", "{\"key\":\"late\"}", "vic", null).execution().id();
        EngineProbe.awaitStatus(engine, id, ExecutionStatus.WAITING_AGENT);
        RequestSnapshot request = engine.inbox(Set.of("test_lead"), null, 500).stream()
                .filter(r -> r.executionId().equals(id)).findFirst().orElseThrow();
        EngineProbe.awaitStatus(engine, id, ExecutionStatus.TIMED_OUT);

        EngineException e = assertThrows(EngineException.class,
                () -> engine.answer(request.id(), Set.of("test_lead"), "tl", "{\"ok\":true}"));

        assertThat(e.problem(), is(EngineException.Problem.CONFLICT));
    }
}
