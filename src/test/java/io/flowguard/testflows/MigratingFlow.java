package io.flowguard.testflows;

import java.time.Duration;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Start;

/** Version 1 of a flow the service migrates ({@link MigratingFlowV2}): asks the test lead, then logs who answered. */
@Flow(name = "test-migrating", version = 1, input = TestInput.class, state = TestState.class)
public class MigratingFlow {

    @Start
    @AsksAgent("test_lead")
    AgentAsk ask(TestState s) {
        return AgentAsk.to("test_lead", "Ship it?", s.log).within(Duration.ofHours(1));
    }

    @Listen("ask")
    void answered(TestState s, AgentAnswer answer) {
        s.log.add("v1 answered by " + answer.answeredBy());
    }
}
