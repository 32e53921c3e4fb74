package io.flowguard.testflows;

import java.time.Duration;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.MigratesFrom;
import io.flowguard.flow.Start;
import io.flowguard.flow.StepMapping;

/**
 * Version 2 of {@link MigratingFlow}: its question renamed, and a migration from version 1 that
 * moves executions waiting at the old question to the new one. A key of {@code "invalid"} makes
 * a state the migration cannot keep (the key over its 100 characters).
 */
@Flow(name = "test-migrating", version = 2, input = TestInput.class, state = TestState.class)
public class MigratingFlowV2 {

    @MigratesFrom(version = 1, steps = @StepMapping(from = "ask", to = "askAgain"))
    TestState fromV1(TestState old) {
        old.log.add("migrated");
        if ("invalid".equals(old.key)) {
            old.key = "x".repeat(101);
        }
        return old;
    }

    @Start
    @AsksAgent("test_lead")
    AgentAsk askAgain(TestState s) {
        return AgentAsk.to("test_lead", "Ship it, again?", s.log).within(Duration.ofHours(1));
    }

    @Listen("askAgain")
    void answered(TestState s, AgentAnswer answer) {
        s.log.add("v2 answered by " + answer.answeredBy());
    }
}
