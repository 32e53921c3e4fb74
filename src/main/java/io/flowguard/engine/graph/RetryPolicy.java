package io.flowguard.engine.graph;

import io.flowguard.flow.Retry;
import java.time.Duration;

/**
 * Bounded exponential backoff for a throwing step.
 *
 * @param maxAttempts  total runs including the first
 * @param initialDelay wait before the second run
 * @param multiplier   growth of each further wait
 * @param maxDelay     the longest wait
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay) {

    /** The engine's default when a step declares no {@link Retry}: 3 runs, 0.5 s then 1 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(500), 2.0, Duration.ofMinutes(1));

    /** Rejects policies that could retry without bound or back off by nothing sensible. */
    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new IllegalArgumentException("maxAttempts must be 1..20");
        }
        if (initialDelay.isNegative() || maxDelay.isNegative() || multiplier < 1.0 || Double.isNaN(multiplier)) {
            throw new IllegalArgumentException("delays must be >= 0 and multiplier >= 1");
        }
    }

    static RetryPolicy of(Retry retry) {
        return retry == null ? DEFAULT : new RetryPolicy(retry.maxAttempts(), Duration.ofMillis(retry.initialDelayMillis()),
                retry.multiplier(), Duration.ofMillis(retry.maxDelayMillis()));
    }

    /**
     * @param failedAttempt the attempt that just failed (1 for the first run)
     * @return true when another run is allowed
     */
    public boolean allowsRetryAfter(int failedAttempt) {
        return failedAttempt < maxAttempts;
    }

    /**
     * @param failedAttempt the attempt that just failed (1 for the first run)
     * @return how long to wait before the next run
     */
    public Duration delayAfter(int failedAttempt) {
        double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempt - 1));
        return Duration.ofMillis((long) Math.min(millis, maxDelay.toMillis()));
    }
}
