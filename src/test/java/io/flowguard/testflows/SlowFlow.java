package io.flowguard.testflows;

import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Start;
import io.flowguard.flow.StepContext;

/** Its second step holds on its first run until the test releases it; later runs go straight through. */
@Flow(name = "test-slow", input = TestInput.class, state = TestState.class)
public class SlowFlow {

    @Start
    void begin(TestState s) {
        s.log.add("begin");
    }

    @Listen("begin")
    void slow(TestState s, StepContext context) {
        Gates.holdFirstRun(s.key);
        s.log.add("slow:" + context.stepRunId());
    }

    @Listen("slow")
    void finish(TestState s) {
        s.log.add("finish");
    }
}
