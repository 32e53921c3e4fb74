package io.flowguard.retention;

import java.time.Duration;

import org.eclipse.microprofile.config.Config;

/**
 * How long finished executions are kept and how the sweep runs, read once from configuration.
 *
 * @param enabled   whether this instance sweeps at all ({@code flowguard.retention.enabled})
 * @param keep      finished executions older than this are deleted ({@code flowguard.retention})
 * @param interval  time between sweeps ({@code flowguard.retention.interval})
 * @param batchSize rows deleted per transaction, at most {@value #MAX_BATCH} ({@code flowguard.retention.batch-size})
 * @param lease     how long one sweep holds the cluster-wide lease without renewing it ({@code flowguard.retention.lease})
 */
public record RetentionSettings(boolean enabled, Duration keep, Duration interval, int batchSize, Duration lease) {

    /** No configuration may make one transaction delete more rows than this. */
    public static final int MAX_BATCH = 1000;

    /** Rejects settings outside their safe ranges, naming the key. */
    public RetentionSettings {
        require(keep != null && keep.compareTo(Duration.ofHours(1)) >= 0,
                "flowguard.retention must be at least PT1H");
        require(interval != null && interval.compareTo(Duration.ofSeconds(1)) >= 0,
                "flowguard.retention.interval must be at least PT1S");
        require(batchSize >= 1 && batchSize <= MAX_BATCH, "flowguard.retention.batch-size must be 1.." + MAX_BATCH);
        require(lease != null && lease.compareTo(Duration.ofSeconds(10)) >= 0,
                "flowguard.retention.lease must be at least PT10S");
    }

    /**
     * @param config the application configuration
     * @return the settings, with the documented defaults
     */
    public static RetentionSettings from(Config config) {
        return new RetentionSettings(
                config.getOptionalValue("flowguard.retention.enabled", Boolean.class).orElse(true),
                config.getOptionalValue("flowguard.retention", Duration.class).orElse(Duration.ofDays(30)),
                config.getOptionalValue("flowguard.retention.interval", Duration.class).orElse(Duration.ofHours(1)),
                config.getOptionalValue("flowguard.retention.batch-size", Integer.class).orElse(MAX_BATCH),
                config.getOptionalValue("flowguard.retention.lease", Duration.class).orElse(Duration.ofMinutes(5)));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
