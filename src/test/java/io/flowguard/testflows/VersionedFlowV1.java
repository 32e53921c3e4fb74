package io.flowguard.testflows;

import java.time.Duration;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Start;

/** Version 1 of a flow registered in two versions: asks the test lead, then records the answer. */
@Flow(name = "test-versioned", version = 1, input = TestInput.class, state = TestState.class)
public class VersionedFlowV1 {

    @Start
    @AsksAgent("test_lead")
    AgentAsk ask(TestState s) {
        return AgentAsk.to("test_lead", "Version 1?", s.log).within(Duration.ofDays(365));
    }

    @Listen("ask")
    void answered(TestState s, AgentAnswer answer) {
        s.log.add("v1 answered by " + answer.answeredBy());
    }
}
