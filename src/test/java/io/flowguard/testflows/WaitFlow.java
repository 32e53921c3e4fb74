package io.flowguard.testflows;

import java.time.Duration;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Start;

/** Asks the test lead and asks for far longer than any operator cap; no timeout path. */
@Flow(name = "test-wait", input = TestInput.class, state = TestState.class)
public class WaitFlow {

    @Start
    @AsksAgent("test_lead")
    AgentAsk ask(TestState s) {
        return AgentAsk.to("test_lead", "Ship it?", s.log).within(Duration.ofDays(365));
    }

    @Listen("ask")
    void answered(TestState s, AgentAnswer answer) {
        s.log.add("answered by " + answer.answeredBy());
    }
}
