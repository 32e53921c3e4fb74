package io.flowguard.engine;

import java.util.Objects;
import java.util.UUID;

import io.flowguard.flow.ServiceCalls;
import io.flowguard.flow.ServiceReply;
import io.flowguard.flow.StepContext;

/**
 * The engine's {@link StepContext}: one per run of a step, counting its service calls so that the
 * n-th call of every re-run of the step carries the same {@code Idempotency-Key}.
 */
final class StepRunContext implements StepContext {

    private final UUID executionId;
    private final String flow;
    private final String step;
    private final String stepRunId;
    private final int attempt;
    private final ServiceCalls services;
    private int calls;

    /**
     * @param executionId the execution
     * @param flow        the flow's registered name
     * @param step        the step's name
     * @param stepRunId   a stable id for this step run: {@code <execution>:<step>}
     * @param attempt     1 for the first run, 2 for the first retry, ...
     * @param services    the outbound calls the engine offers this step
     */
    StepRunContext(UUID executionId, String flow, String step, String stepRunId, int attempt,
                   ServiceCalls services) {
        this.executionId = Objects.requireNonNull(executionId);
        this.flow = Objects.requireNonNull(flow);
        this.step = Objects.requireNonNull(step);
        this.stepRunId = Objects.requireNonNull(stepRunId);
        this.attempt = attempt;
        this.services = Objects.requireNonNull(services);
    }

    @Override
    public UUID executionId() {
        return executionId;
    }

    @Override
    public String flow() {
        return flow;
    }

    @Override
    public String step() {
        return step;
    }

    @Override
    public String stepRunId() {
        return stepRunId;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public ServiceReply call(String service, String path, Object payload) {
        calls++;
        String key = calls == 1 ? stepRunId : stepRunId + ":" + calls;
        return services.call(service, path, payload, key);
    }

    @Override
    public <T> T call(String service, String path, Object payload, Class<T> replyType) {
        return services.read(call(service, path, payload), replyType);
    }

    /** @return how many outbound calls this run of the step has made so far */
    int calls() {
        return calls;
    }

    @Override
    public String toString() {
        return "StepContext[" + stepRunId + ", attempt " + attempt + "]";
    }
}
