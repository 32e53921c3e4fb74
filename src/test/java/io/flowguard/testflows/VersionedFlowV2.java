package io.flowguard.testflows;

import java.time.Duration;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Start;

/** Version 2 of {@code test-versioned}, registered beside version 1: one more step after the answer. */
@Flow(name = "test-versioned", version = 2, input = TestInput.class, state = TestState.class)
public class VersionedFlowV2 {

    @Start
    @AsksAgent("test_lead")
    AgentAsk ask(TestState s) {
        return AgentAsk.to("test_lead", "Version 2?", s.log).within(Duration.ofDays(365));
    }

    @Listen("ask")
    void answered(TestState s, AgentAnswer answer) {
        s.log.add("v2 answered by " + answer.answeredBy());
    }

    @Listen("answered")
    void recorded(TestState s) {
        s.log.add("recorded");
    }
}
