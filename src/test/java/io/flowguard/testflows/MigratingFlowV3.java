package io.flowguard.testflows;

import java.time.Duration;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.MigratesFrom;
import io.flowguard.flow.Start;

/**
 * Version 3 of {@link MigratingFlow}: it declares a migration from version 2 only, so a migration
 * of version 1 straight to it is refused ({@code no-migration}).
 */
@Flow(name = "test-migrating", version = 3, input = TestInput.class, state = TestState.class)
public class MigratingFlowV3 {

    @MigratesFrom(version = 2)
    TestState fromV2(TestState old) {
        return old;
    }

    @Start
    @AsksAgent("test_lead")
    AgentAsk askAgain(TestState s) {
        return AgentAsk.to("test_lead", "Ship it, once more?", s.log).within(Duration.ofHours(1));
    }

    @Listen("askAgain")
    void answered(TestState s, AgentAnswer answer) {
        s.log.add("v3 answered by " + answer.answeredBy());
    }
}
