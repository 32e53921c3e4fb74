package io.flowguard.testflows;

import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Start;
import io.flowguard.flow.StepContext;

/** Its second step holds every run on a gate of its own ({@code key:1}, {@code key:2}, ...) until the test releases it. */
@Flow(name = "test-fenced", input = TestInput.class, state = TestState.class)
public class FencedFlow {

    @Start
    void begin(TestState s) {
        s.log.add("begin");
    }

    @Listen("begin")
    void work(TestState s, StepContext context) {
        int run = Gates.run(s.key);
        Gates.hold(s.key + ":" + run);
        s.log.add("work run " + run);
    }
}
