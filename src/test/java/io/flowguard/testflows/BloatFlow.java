package io.flowguard.testflows;

import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Start;

/** Its second step grows the state by {@link TestState#grow} characters. */
@Flow(name = "test-bloat", input = TestInput.class, state = TestState.class)
public class BloatFlow {

    @Start
    void begin(TestState s) {
        s.log.add("begin");
    }

    @Listen("begin")
    TestState bloat(TestState s) {
        s.blob = "x".repeat(s.grow);
        s.log.add("bloat");
        return s;
    }
}
