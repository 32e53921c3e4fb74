package io.flowguard.bench;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Runs the load until the JVM under test has settled: at least a minimum, then 10-second windows
 * until two in a row complete within 10 % of each other <em>and</em> the JVM's JIT compiler
 * threads used less than {@value #QUIET_COMPILER_MS} ms of CPU in the last one, or a maximum
 * passed. On two shared cores the JIT compilers of a Helidon/Jersey/Hibernate service take minutes
 * to finish, and throughput measured before then says more about the compiler than about
 * Flowguard. Throughput alone was not enough: it can hold steady for 20 s while the compilers
 * still take half a core, and the first client count measured on a fresh server then read half of
 * what the same count read a minute later.
 */
final class Warmup {

    private static final Duration WINDOW = Duration.ofSeconds(10);
    /** Compiler CPU per window below which the JIT counts as done (3 % of one core). */
    static final long QUIET_COMPILER_MS = 300;

    private Warmup() {
    }

    /**
     * @param completions how many executions have completed so far
     * @param compilerMs  CPU milliseconds the JVM under test spent compiling so far (negative: unknown,
     *                    then throughput alone decides)
     * @param min         the least warm-up
     * @param max         the most warm-up
     * @return how long it warmed up
     */
    static Duration settle(LongSupplier completions, DoubleSupplier compilerMs, Duration min, Duration max)
            throws InterruptedException {
        long began = System.nanoTime();
        Thread.sleep(min.toMillis());
        long previousCount = -1;
        while (System.nanoTime() - began < max.toNanos()) {
            long before = completions.getAsLong();
            double compiledBefore = compilerMs.getAsDouble();
            Thread.sleep(WINDOW.toMillis());
            long count = completions.getAsLong() - before;
            double compiledAfter = compilerMs.getAsDouble();
            boolean compilersQuiet = compiledBefore < 0 || compiledAfter < 0
                    || compiledAfter - compiledBefore < QUIET_COMPILER_MS;
            if (previousCount > 0 && Math.abs(count - previousCount) <= 0.1 * previousCount && compilersQuiet) {
                break;
            }
            previousCount = count;
        }
        return Duration.ofNanos(System.nanoTime() - began);
    }
}
