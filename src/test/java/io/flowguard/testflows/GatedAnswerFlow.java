package io.flowguard.testflows;

import java.time.Duration;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Start;

/**
 * Asks the test lead at once; the step that takes the answer holds on its first run (release
 * {@code key + ":answered"}), so a test can look at the execution between the answer and that step.
 */
@Flow(name = "test-gated-answer", input = TestInput.class, state = TestState.class)
public class GatedAnswerFlow {

    @Start
    @AsksAgent("test_lead")
    AgentAsk ask(TestState s) {
        return AgentAsk.to("test_lead", "Go on?", s.log).within(Duration.ofHours(1));
    }

    @Listen("ask")
    void answered(TestState s, AgentAnswer answer) {
        Gates.holdFirstRun(s.key + ":answered");
        s.log.add("answered by " + answer.answeredBy() + ": " + answer.text("go"));
    }
}
