package io.flowguard.api;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Request rate limits per key (a token subject, or a client address for callers without a
 * valid token): {@code flowguard.rate-limit.requests} per {@code period} and a burst of
 * {@code burst} per {@code burst-period}, as Bucket4j token buckets. The buckets live in a
 * Caffeine cache capped at {@code max-keys} entries (least recently used go first; an idle one
 * expires after a period, when it would be full again anyway), so memory stays bounded whatever
 * number of keys callers make up. Limits hold per instance.
 */
@ApplicationScoped
public class RateLimiter {

    /** The outcome of one request against its key's bucket. */
    public record Verdict(boolean allowed, long retryAfterSeconds) {
    }

    @Inject
    @ConfigProperty(name = "flowguard.rate-limit.requests", defaultValue = "200")
    int requests;
    @Inject
    @ConfigProperty(name = "flowguard.rate-limit.period", defaultValue = "PT60S")
    Duration period;
    @Inject
    @ConfigProperty(name = "flowguard.rate-limit.burst", defaultValue = "50")
    int burst;
    @Inject
    @ConfigProperty(name = "flowguard.rate-limit.burst-period", defaultValue = "PT10S")
    Duration burstPeriod;
    @Inject
    @ConfigProperty(name = "flowguard.rate-limit.max-keys", defaultValue = "20000")
    int maxKeys;

    @Inject
    MeterRegistry meters;

    private Cache<String, Bucket> buckets;

    @PostConstruct
    void init() {
        if (requests < 1 || burst < 1 || maxKeys < 1 || period.isNegative() || period.isZero()
                || burstPeriod.isNegative() || burstPeriod.isZero()) {
            throw new IllegalStateException("flowguard.rate-limit.* settings must be positive");
        }
        buckets = Caffeine.newBuilder().maximumSize(maxKeys)
                .expireAfterAccess(period.plus(burstPeriod)).build();
        Gauge.builder("flowguard.rate.limit.keys", this, RateLimiter::keys)
                .description("subjects and addresses the rate limiter holds a bucket for (at most flowguard.rate-limit.max-keys)")
                .register(meters);
    }

    private Bucket newBucket(String key) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(requests).refillGreedy(requests, period).build())
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(burst, burstPeriod).build())
                .build();
    }

    /**
     * Takes one request from the key's bucket.
     *
     * @param key {@code subject:<sub>} or {@code address:<ip>}
     * @return allowed, or refused with the seconds until a request would be allowed
     */
    public Verdict take(String key) {
        ConsumptionProbe probe = buckets.get(key, this::newBucket).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? new Verdict(true, 0)
                : new Verdict(false, Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1));
    }

    /**
     * Looks without taking: whether the key's bucket is empty now.
     *
     * @param key the key
     * @return refused (with the wait) when empty, else allowed
     */
    public Verdict peek(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket == null || bucket.getAvailableTokens() > 0) {
            return new Verdict(true, 0);
        }
        long wait = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return new Verdict(false, Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait) + 1));
    }

    /** @return keys held now (after pending evictions ran) */
    private long keys() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

}
