package io.flowguard.testflows;

import java.time.Duration;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Start;

/**
 * Holds its first step until the test releases it, then asks the test lead: the test knows the
 * execution before its agent request exists, so it can be waiting for the request when it comes.
 */
@Flow(name = "test-gated-ask", input = TestInput.class, state = TestState.class)
public class GatedAskFlow {

    @Start
    void begin(TestState s) {
        Gates.holdFirstRun(s.key);
        s.log.add("begin");
    }

    @Listen("begin")
    @AsksAgent("test_lead")
    AgentAsk ask(TestState s) {
        return AgentAsk.to("test_lead", "Go on?", s.log).within(Duration.ofHours(1));
    }

    @Listen("ask")
    void answered(TestState s, AgentAnswer answer) {
        s.log.add("answered by " + answer.answeredBy());
    }
}
