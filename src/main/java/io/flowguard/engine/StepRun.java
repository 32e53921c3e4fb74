package io.flowguard.engine;

import java.time.Instant;
import java.util.UUID;

import io.flowguard.engine.graph.FlowDefinition;

/**
 * One run of one step, as the committer needs to know it.
 *
 * @param worker      the worker (and lease owner) that ran it
 * @param executionId the execution
 * @param flow        the registered flow it belongs to
 * @param step        the step name
 * @param attempt     1 for the first run
 * @param startedAt   when the step began
 */
public record StepRun(String worker, UUID executionId, FlowDefinition flow, String step, int attempt, Instant startedAt) {
}
