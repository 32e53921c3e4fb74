package io.flowguard.bench;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Latency samples from many client threads, read as percentiles in milliseconds. */
final class Latencies {

    private final ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();

    void add(long elapsedNanos) {
        nanos.add(elapsedNanos);
    }

    int count() {
        return nanos.size();
    }

    /**
     * @param p a percentile, 0 to 100
     * @return the nearest-rank percentile in milliseconds (0 when there is no sample)
     */
    double percentileMillis(double p) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1_000_000.0;
    }

    @Override
    public String toString() {
        return Arrays.toString(nanos.toArray());
    }
}
