package io.flowguard.testflows;

import java.time.Duration;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Start;

/**
 * Asks the test lead and, in parallel, runs a step that holds on its first run (release
 * {@code key}): steps queue by name, so the question is asked before the held step starts, and
 * the test can answer it while that step runs under its lease.
 */
@Flow(name = "test-ask-while-working", input = TestInput.class, state = TestState.class)
public class AskWhileWorkingFlow {

    @Start
    void begin(TestState s) {
        s.log.add("begin");
    }

    @Listen("begin")
    @AsksAgent("test_lead")
    AgentAsk ask(TestState s) {
        return AgentAsk.to("test_lead", "Go on?", s.log).within(Duration.ofHours(1));
    }

    @Listen("begin")
    void work(TestState s) {
        int run = Gates.run(s.key);
        if (run == 1) {
            Gates.hold(s.key);
        }
        s.log.add("work run " + run);
    }

    @Listen("ask")
    void answered(TestState s, AgentAnswer answer) {
        s.log.add("answered by " + answer.answeredBy());
    }
}
