package io.flowguard.outbound;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.helidon.faulttolerance.Retry;

/**
 * Exponential backoff with jitter: before retry n the call waits {@code delay * factor^(n-1)}
 * plus a random extra of up to {@code jitter} of that, so 0.5 s, 1 s, 2 s (plus up to 20 %) by
 * default. Helidon's own policies offer growth or jitter but not both; this is the one missing
 * piece, plugged into Helidon's {@link Retry}.
 */
final class BackoffPolicy implements Retry.RetryPolicy {

    private final int attempts;
    private final long delayMillis;
    private final double factor;
    private final double jitter;

    /**
     * @param attempts    attempts in all (first plus retries)
     * @param delayMillis the wait before the first retry
     * @param factor      the growth of each further wait
     * @param jitter      the largest random extra, as a fraction of the wait
     */
    BackoffPolicy(int attempts, long delayMillis, double factor, double jitter) {
        this.attempts = attempts;
        this.delayMillis = delayMillis;
        this.factor = factor;
        this.jitter = jitter;
    }

    @Override
    public Optional<Long> nextDelayMillis(long firstCallMillis, long lastDelay, int call) {
        if (call >= attempts) {
            return Optional.empty();
        }
        return Optional.of(delayBefore(call, ThreadLocalRandom.current().nextDouble()));
    }

    /**
     * @param retry  1 for the first retry
     * @param random a number in [0, 1)
     * @return the wait before that retry
     */
    long delayBefore(int retry, double random) {
        double base = delayMillis * Math.pow(factor, retry - 1);
        return (long) (base + base * jitter * random);
    }

    /** @return the longest the waits can add up to across every retry */
    long worstCaseTotalMillis() {
        long total = 0;
        for (int retry = 1; retry < attempts; retry++) {
            total += delayBefore(retry, 1.0);
        }
        return total;
    }
}
