package io.flowguard.flow;

import java.util.UUID;

/**
 * What a step may know about the run it is part of. A step that calls another service sends
 * {@link #stepRunId()} as its idempotency key: the engine runs steps at least once (a crash can
 * repeat one), and the id is the same for every retry and repeat of this step run.
 *
 * @param executionId the execution
 * @param flow        the flow's registered name
 * @param step        the step's name
 * @param stepRunId   a stable id for this step run: {@code <execution>:<step>}
 * @param attempt     1 for the first run, 2 for the first retry, ...
 */
public record StepContext(UUID executionId, String flow, String step, String stepRunId, int attempt) {
}
