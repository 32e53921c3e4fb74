package io.flowguard.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls until a condition holds or a generous deadline passes (no timing assertions: machines are shared). */
public final class Await {

    private Await() {
    }

    /**
     * @param what      what is awaited, for the failure message
     * @param timeout   the most to wait
     * @param condition polled every 20 ms
     */
    public static void until(String what, Duration timeout, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(condition.get())) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
    }
}
