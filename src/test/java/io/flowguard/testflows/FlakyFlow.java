package io.flowguard.testflows;

import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Retry;
import io.flowguard.flow.Start;

/** Its second step fails twice, then succeeds: three runs within its retry policy. */
@Flow(name = "test-flaky", input = TestInput.class, state = TestState.class)
public class FlakyFlow {

    @Start
    void begin(TestState s) {
        s.log.add("begin");
    }

    @Listen("begin")
    @Retry(maxAttempts = 3, initialDelayMillis = 50, multiplier = 2.0)
    void shaky(TestState s) {
        if (Gates.run(s.key) < 3) {
            throw new IllegalStateException("transient trouble " + Gates.runs(s.key));
        }
        s.log.add("shaky");
    }
}
