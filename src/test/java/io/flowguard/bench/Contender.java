package io.flowguard.bench;

import java.time.Duration;
import java.util.Map;

/**
 * One of the systems a run compares (Flowguard over HTTP, Flowguard in-process, a peer), up for the
 * whole run on a fresh database of its own, measured once per client count and round.
 */
interface Contender extends AutoCloseable {

    /** @return its name in result lines and ratios: flowguard_http, flowguard_engine, flowable, dbos */
    String system();

    /**
     * Drives {@code clients} concurrent approval cycles, warmed up by {@link Warmup}'s rule, then
     * measured for {@code window}.
     *
     * @return the run's result line, with at least executions_per_s
     */
    Map<String, Object> run(int clients, int round, Duration warmup, Duration maxWarmup, Duration window)
            throws Exception;
}
