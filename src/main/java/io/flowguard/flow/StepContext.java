package io.flowguard.flow;

import java.util.Objects;
import java.util.UUID;

/**
 * What a step may know about the run it is part of, and its way out to other services.
 *
 * <p>The engine runs steps at least once (a crash can repeat one), so {@link #stepRunId()} is
 * the same for every retry and repeat of this step run; {@link #call} sends it as the
 * {@code Idempotency-Key} so the service can recognise a repeat.
 */
public final class StepContext {

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
    public StepContext(UUID executionId, String flow, String step, String stepRunId, int attempt,
                       ServiceCalls services) {
        this.executionId = Objects.requireNonNull(executionId);
        this.flow = Objects.requireNonNull(flow);
        this.step = Objects.requireNonNull(step);
        this.stepRunId = Objects.requireNonNull(stepRunId);
        this.attempt = attempt;
        this.services = Objects.requireNonNull(services);
    }

    /** @return the execution */
    public UUID executionId() {
        return executionId;
    }

    /** @return the flow's registered name */
    public String flow() {
        return flow;
    }

    /** @return the step's name */
    public String step() {
        return step;
    }

    /** @return a stable id for this step run: {@code <execution>:<step>} */
    public String stepRunId() {
        return stepRunId;
    }

    /** @return 1 for the first run, 2 for the first retry, ... */
    public int attempt() {
        return attempt;
    }

    /**
     * POSTs {@code payload} as JSON to a service the flow declares. The first call of a step run
     * carries {@code Idempotency-Key: <stepRunId>}, the n-th {@code <stepRunId>:<n>}: the same
     * keys on every retry and re-run of the step, as long as the step calls in the same order.
     *
     * @param service a service named in {@link Flow#services()}
     * @param path    the path under the service's configured URL, starting with {@code /}
     * @param payload any object that maps to JSON
     * @return the 2xx reply
     * @throws ServiceCallException when the call fails for good (a step failure)
     */
    public ServiceReply call(String service, String path, Object payload) {
        calls++;
        String key = calls == 1 ? stepRunId : stepRunId + ":" + calls;
        return services.call(service, path, payload, key);
    }

    /**
     * Like {@link #call(String, String, Object)}, reading the reply's JSON body as {@code replyType}.
     *
     * @param service   a service named in {@link Flow#services()}
     * @param path      the path under the service's configured URL
     * @param payload   any object that maps to JSON
     * @param replyType the type the reply's body maps to
     * @param <T>       that type
     * @return the reply's body
     * @throws ServiceCallException when the call fails for good or the body does not map
     */
    public <T> T call(String service, String path, Object payload, Class<T> replyType) {
        return services.read(call(service, path, payload), replyType);
    }

    @Override
    public String toString() {
        return "StepContext[" + stepRunId + ", attempt " + attempt + "]";
    }
}
