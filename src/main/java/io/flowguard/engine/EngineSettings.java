package io.flowguard.engine;

import java.time.Duration;

/**
 * The engine's limits and timings, with the hard ceilings that no setting can raise. The service
 * reads them from MicroProfile Config (keys named in the messages below); an embedder passes them
 * to {@link Engine.Builder#settings}.
 *
 * @param workers            worker threads per instance (0: this instance runs no steps)
 * @param claimBatch         executions claimed per query
 * @param pollInterval       how long an idle worker waits before claiming again
 * @param leaseDuration      how long a claim is valid without a heartbeat
 * @param heartbeatInterval  how often running executions' leases are extended
 * @param sweepInterval      how often expired agent waits are looked for
 * @param stepsPerClaim      steps run under one claim before the execution is released for fairness
 * @param stepsPerCommit     consecutive steps of one drive committed in one transaction (1: each step
 *                           alone); a step that called an outbound service is always committed before
 *                           the next one runs, and no commit waits longer than the heartbeat interval
 * @param defaultAgentWait   the wait when a flow asks without one
 * @param maxAgentWait       the cap on any wait a flow asks for
 * @param maxStateBytes      the cap on an execution's serialized state
 * @param handOffBacklog     executions this instance's own starts and answers may lease while every
 *                           worker is busy, to run next (0: leave them all to the claimers)
 * @param maxActivePerOwner  the cap on one owner's unfinished executions
 * @param idempotencyTtl     how long an idempotency key is remembered
 * @param shutdownGrace      how long a graceful stop waits for running steps
 */
public record EngineSettings(int workers, int claimBatch, Duration pollInterval, Duration leaseDuration,
                             Duration heartbeatInterval, Duration sweepInterval, int stepsPerClaim,
                             int stepsPerCommit, Duration defaultAgentWait, Duration maxAgentWait, int maxStateBytes,
                             int handOffBacklog, int maxActivePerOwner, Duration idempotencyTtl,
                             Duration shutdownGrace) {

    /** No configuration may raise the state cap above 1 MiB (the column holds exactly that). */
    public static final int HARD_MAX_STATE_BYTES = 1_048_576;
    /** No configuration may raise the agent wait cap above one day. */
    public static final Duration HARD_MAX_AGENT_WAIT = Duration.ofDays(1);

    /** Rejects settings outside their safe ranges, naming the key. */
    public EngineSettings {
        require(workers >= 0 && workers <= 256, "flowguard.engine.workers must be 0..256");
        require(claimBatch >= 1 && claimBatch <= 1000, "flowguard.engine.claim-batch must be 1..1000");
        require(positive(pollInterval), "flowguard.engine.poll-interval must be positive");
        require(positive(leaseDuration), "flowguard.engine.lease-duration must be positive");
        require(positive(heartbeatInterval) && heartbeatInterval.compareTo(leaseDuration) < 0,
                "flowguard.engine.heartbeat-interval must be positive and shorter than the lease");
        require(positive(sweepInterval), "flowguard.engine.sweep-interval must be positive");
        require(stepsPerClaim >= 1, "flowguard.engine.steps-per-claim must be 1 or more");
        require(stepsPerCommit >= 1 && stepsPerCommit <= stepsPerClaim,
                "flowguard.engine.steps-per-commit must be 1..flowguard.engine.steps-per-claim");
        require(positive(maxAgentWait) && maxAgentWait.compareTo(HARD_MAX_AGENT_WAIT) <= 0,
                "flowguard.agent-wait.max must be positive and at most " + HARD_MAX_AGENT_WAIT);
        require(positive(defaultAgentWait) && defaultAgentWait.compareTo(maxAgentWait) <= 0,
                "flowguard.agent-wait.default must be positive and at most flowguard.agent-wait.max");
        require(maxStateBytes >= 1024 && maxStateBytes <= HARD_MAX_STATE_BYTES,
                "flowguard.state.max-bytes must be 1024.." + HARD_MAX_STATE_BYTES);
        require(handOffBacklog >= 0 && handOffBacklog <= 1024, "flowguard.engine.hand-off-backlog must be 0..1024");
        require(maxActivePerOwner >= 1, "flowguard.quota.max-active-executions must be at least 1");
        require(positive(idempotencyTtl), "flowguard.idempotency.ttl must be positive");
        require(shutdownGrace != null && !shutdownGrace.isNegative(), "flowguard.engine.shutdown-grace must not be negative");
    }

    /** @return the documented defaults */
    public static EngineSettings defaults() {
        return new EngineSettings(4, 8, Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(1), 50, 16, Duration.ofSeconds(60), Duration.ofMinutes(10), HARD_MAX_STATE_BYTES, 16,
                100, Duration.ofHours(24), Duration.ofSeconds(10));
    }

    /**
     * @param count worker threads
     * @return these settings with another worker count
     */
    public EngineSettings withWorkers(int count) {
        return new EngineSettings(count, claimBatch, pollInterval, leaseDuration, heartbeatInterval, sweepInterval,
                stepsPerClaim, stepsPerCommit, defaultAgentWait, maxAgentWait, maxStateBytes, handOffBacklog,
                maxActivePerOwner, idempotencyTtl, shutdownGrace);
    }

    /**
     * @param defaultWait the wait when a flow asks without one
     * @param maxWait     the cap on any wait a flow asks for
     * @return these settings with these agent waits
     */
    public EngineSettings withAgentWaits(Duration defaultWait, Duration maxWait) {
        return new EngineSettings(workers, claimBatch, pollInterval, leaseDuration, heartbeatInterval, sweepInterval,
                stepsPerClaim, stepsPerCommit, defaultWait, maxWait, maxStateBytes, handOffBacklog,
                maxActivePerOwner, idempotencyTtl, shutdownGrace);
    }

    /**
     * @param count the cap on one owner's unfinished executions
     * @return these settings with another cap
     */
    public EngineSettings withMaxActivePerOwner(int count) {
        return new EngineSettings(workers, claimBatch, pollInterval, leaseDuration, heartbeatInterval, sweepInterval,
                stepsPerClaim, stepsPerCommit, defaultAgentWait, maxAgentWait, maxStateBytes, handOffBacklog,
                count, idempotencyTtl, shutdownGrace);
    }

    /**
     * @param requested what the flow asked for, if anything
     * @return the wait to use: the default when none was asked, never more than the cap
     */
    public Duration agentWait(java.util.Optional<Duration> requested) {
        Duration wait = requested.orElse(defaultAgentWait);
        return wait.compareTo(maxAgentWait) > 0 ? maxAgentWait : wait;
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
