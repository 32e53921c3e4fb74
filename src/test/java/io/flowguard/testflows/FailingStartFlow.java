package io.flowguard.testflows;

import io.flowguard.flow.Flow;
import io.flowguard.flow.Retry;
import io.flowguard.flow.Start;

/** A start step that throws: the execution must end FAILED with the message, never silently. */
@Flow(name = "test-failing-start", input = TestInput.class, state = TestState.class)
public class FailingStartFlow {

    @Start
    @Retry(maxAttempts = 1)
    void begin(TestState s) {
        throw new UnsupportedOperationException("start refused: no budget code");
    }
}
