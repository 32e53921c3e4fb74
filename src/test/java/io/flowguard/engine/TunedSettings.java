package io.flowguard.engine;

import java.time.Duration;

/**
 * {@link EngineSettings} for a container-free test: the defaults with no worker threads (the test
 * drives the engine with {@link Engine#runDue()}), and the few values a test is about changed.
 */
final class TunedSettings {

    private final EngineSettings defaults = EngineSettings.defaults();
    private int workers;
    private Duration pollInterval = defaults.pollInterval();
    private Duration heartbeatInterval = defaults.heartbeatInterval();
    private Duration defaultAgentWait = defaults.defaultAgentWait();
    private Duration maxAgentWait = defaults.maxAgentWait();
    private int maxStateBytes = defaults.maxStateBytes();
    private int maxActivePerOwner = defaults.maxActivePerOwner();
    private Duration idempotencyTtl = defaults.idempotencyTtl();
    private int stepsPerClaim = defaults.stepsPerClaim();
    private int stepsPerCommit = defaults.stepsPerCommit();

    /** @return the defaults, without worker threads */
    static TunedSettings noWorkers() {
        return new TunedSettings();
    }

    /**
     * @param count       worker threads
     * @param pollAndBeat how often (real time) the claimer polls and the heartbeat runs
     * @return these settings with a worker pool
     */
    TunedSettings workers(int count, Duration pollAndBeat) {
        this.workers = count;
        this.pollInterval = pollAndBeat;
        this.heartbeatInterval = pollAndBeat;
        return this;
    }

    /**
     * @param defaultWait the wait when a flow asks without one
     * @param maxWait     the cap on any wait a flow asks for
     * @return these settings with these agent waits
     */
    TunedSettings agentWaits(Duration defaultWait, Duration maxWait) {
        this.defaultAgentWait = defaultWait;
        this.maxAgentWait = maxWait;
        return this;
    }

    /**
     * @param bytes the state cap
     * @return these settings with it
     */
    TunedSettings maxStateBytes(int bytes) {
        this.maxStateBytes = bytes;
        return this;
    }

    /**
     * @param count the cap on one owner's unfinished executions
     * @return these settings with it
     */
    TunedSettings maxActivePerOwner(int count) {
        this.maxActivePerOwner = count;
        return this;
    }

    /**
     * @param ttl how long an idempotency key is remembered
     * @return these settings with it
     */
    TunedSettings idempotencyTtl(Duration ttl) {
        this.idempotencyTtl = ttl;
        return this;
    }

    /**
     * @param perClaim  steps run under one claim before the execution is let go
     * @param perCommit consecutive steps committed together
     * @return these settings with them
     */
    TunedSettings steps(int perClaim, int perCommit) {
        this.stepsPerClaim = perClaim;
        this.stepsPerCommit = perCommit;
        return this;
    }

    /** @return the settings (their own checks apply) */
    EngineSettings build() {
        return new EngineSettings(workers, defaults.claimBatch(), pollInterval, defaults.leaseDuration(),
                heartbeatInterval, defaults.sweepInterval(), stepsPerClaim, stepsPerCommit, defaultAgentWait, maxAgentWait,
                maxStateBytes, defaults.handOffBacklog(), maxActivePerOwner, idempotencyTtl, defaults.shutdownGrace());
    }
}
