package io.flowguard.bench;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Runs the load until the JVM under test has settled: at least a minimum, then 10-second windows
 * until two in a row complete within 10 % of each other, or a maximum passed. On two shared
 * cores the JIT compilers of a Helidon/Jersey/Hibernate service take minutes to finish, and
 * throughput measured before then says more about the compiler than about Flowguard.
 */
final class Warmup {

    private static final Duration WINDOW = Duration.ofSeconds(10);

    private Warmup() {
    }

    /**
     * @param completions how many executions have completed so far
     * @param min         the least warm-up
     * @param max         the most warm-up
     * @return how long it warmed up
     */
    static Duration settle(LongSupplier completions, Duration min, Duration max) throws InterruptedException {
        long began = System.nanoTime();
        Thread.sleep(min.toMillis());
        long previousCount = -1;
        while (System.nanoTime() - began < max.toNanos()) {
            long before = completions.getAsLong();
            Thread.sleep(WINDOW.toMillis());
            long count = completions.getAsLong() - before;
            if (previousCount > 0 && Math.abs(count - previousCount) <= 0.1 * previousCount) {
                break;
            }
            previousCount = count;
        }
        return Duration.ofNanos(System.nanoTime() - began);
    }
}
