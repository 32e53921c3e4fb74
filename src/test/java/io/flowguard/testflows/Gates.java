package io.flowguard.testflows;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets a test hold a step mid-run and count how often steps ran, keyed by the execution's
 * {@link TestState#key}. Test-only coordination, not a stand-in for any product part.
 */
public final class Gates {

    private static final Map<String, CountDownLatch> ENTERED = new ConcurrentHashMap<>();
    private static final Map<String, CountDownLatch> RELEASE = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    private Gates() {
    }

    /** Counts a run and returns its number (1 for the first). */
    public static int run(String key) {
        return RUNS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    /** @return how often the key's step ran */
    public static int runs(String key) {
        AtomicInteger n = RUNS.get(key);
        return n == null ? 0 : n.get();
    }

    /** Called by a step: signals entry and blocks until the test releases the key (at most 60 s). */
    public static void hold(String key) {
        ENTERED.computeIfAbsent(key, k -> new CountDownLatch(1)).countDown();
        try {
            RELEASE.computeIfAbsent(key, k -> new CountDownLatch(1)).await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called by a step: holds as {@link #hold} does on the key's first run only; later runs go straight through. */
    public static void holdFirstRun(String key) {
        if (run(key) == 1) {
            hold(key);
        }
    }

    /** Called by a test: waits until a step holds the key. */
    public static boolean awaitEntered(String key) throws InterruptedException {
        return ENTERED.computeIfAbsent(key, k -> new CountDownLatch(1)).await(30, TimeUnit.SECONDS);
    }

    /** Called by a test: waits at most {@code millis} until a step holds the key. */
    public static boolean awaitEntered(String key, long millis) throws InterruptedException {
        return ENTERED.computeIfAbsent(key, k -> new CountDownLatch(1)).await(millis, TimeUnit.MILLISECONDS);
    }

    /** Called by a test: lets the held step go on. */
    public static void release(String key) {
        RELEASE.computeIfAbsent(key, k -> new CountDownLatch(1)).countDown();
    }
}
