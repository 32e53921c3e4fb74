package io.flowguard.testflows;

import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Retry;
import io.flowguard.flow.Start;

/** Its second step always fails: retried per policy, then the execution fails with the message. */
@Flow(name = "test-always-fails", input = TestInput.class, state = TestState.class)
public class AlwaysFailsFlow {

    @Start
    void begin(TestState s) {
        s.log.add("begin");
    }

    @Listen("begin")
    @Retry(maxAttempts = 2, initialDelayMillis = 20)
    void doomed(TestState s) {
        Gates.run(s.key);
        throw new IllegalArgumentException("the ledger is closed");
    }
}
