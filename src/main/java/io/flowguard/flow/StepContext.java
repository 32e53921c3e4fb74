package io.flowguard.flow;

import java.util.UUID;

/**
 * What a step may know about the run it is part of, and its way out to other services. The
 * engine supplies it; a step only reads it.
 *
 * <p>The engine runs steps at least once (a crash can repeat one), so {@link #stepRunId()} is
 * the same for every retry and repeat of this step run; {@link #call} sends it as the
 * {@code Idempotency-Key} so the service can recognise a repeat.
 */
public interface StepContext {

    /** @return the execution */
    UUID executionId();

    /** @return the flow's registered name */
    String flow();

    /** @return the step's name */
    String step();

    /** @return a stable id for this step run: {@code <execution>:<step>} */
    String stepRunId();

    /** @return 1 for the first run, 2 for the first retry, ... */
    int attempt();

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
    ServiceReply call(String service, String path, Object payload);

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
    <T> T call(String service, String path, Object payload, Class<T> replyType);
}
