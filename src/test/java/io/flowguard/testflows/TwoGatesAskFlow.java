package io.flowguard.testflows;

import java.time.Duration;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Start;

/**
 * Two held steps, then an ask: between the first step's commit and the ask the execution has
 * changed but has no agent request yet (when each step commits alone, steps-per-commit=1), which
 * is what a test of what wakes an inbox needs.
 * Release {@code key} for the first step, {@code key + ":second"} for the second.
 */
@Flow(name = "test-two-gates-ask", input = TestInput.class, state = TestState.class)
public class TwoGatesAskFlow {

    @Start
    void first(TestState s) {
        Gates.holdFirstRun(s.key);
        s.log.add("first");
    }

    @Listen("first")
    void second(TestState s) {
        Gates.holdFirstRun(s.key + ":second");
        s.log.add("second");
    }

    @Listen("second")
    @AsksAgent("test_lead")
    AgentAsk ask(TestState s) {
        return AgentAsk.to("test_lead", "Go on?", s.log).within(Duration.ofHours(1));
    }

    @Listen("ask")
    void answered(TestState s, AgentAnswer answer) {
        s.log.add("answered by " + answer.answeredBy());
    }
}
