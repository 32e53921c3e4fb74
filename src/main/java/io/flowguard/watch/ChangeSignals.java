package io.flowguard.watch;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.flowguard.store.CommitListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Wakes the requests of this instance that wait for a change. A change is named by a key
 * ({@link #execution(UUID)}, {@link #asked(UUID)}, {@link #role(String)}); it is signalled when the transaction that made
 * it commits (the store tells {@link #onCommit()}), never before (a woken reader must see it) and never for a rollback.
 *
 * <p>Waiting requests are bounded ({@code flowguard.api.wait.max-waiters} on this instance): past
 * the bound a request is answered at once, as {@code Prefer} allows a server to do.
 */
@ApplicationScoped
public class ChangeSignals {

    private final Map<String, Set<Waiter>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    @Inject
    @ConfigProperty(name = "flowguard.api.wait.max-waiters", defaultValue = "1000")
    int maxWaiters;

    /** @return the key of changes to one execution (its history grew) */
    public static String execution(UUID id) {
        return "execution:" + id;
    }

    /**
     * @return the key of new agent requests of one execution: what an inbox read filtered to that
     *         execution waits for (its other commits, e.g. the steps before the ask, cannot fill it)
     */
    public static String asked(UUID execution) {
        return "asked:" + execution;
    }

    /** @return the key of new agent requests addressed to a role */
    public static String role(String role) {
        return "role:" + role;
    }

    /**
     * The engine's commit listener: wakes the readers waiting for what a commit changed.
     *
     * @return the listener
     */
    public CommitListener onCommit() {
        return new CommitListener() {
            @Override
            public void historyGrew(UUID execution) {
                signal(execution(execution));
            }

            @Override
            public void asked(UUID execution, String role) {
                signal(role(role));
                signal(ChangeSignals.asked(execution));
            }
        };
    }

    /** Wakes every request waiting for {@code key}. */
    public void signal(String key) {
        Set<Waiter> waiters = waiting.get(key);
        if (waiters != null) {
            waiters.forEach(Waiter::wake);
        }
    }

    /**
     * Registers a wait for any of {@code keys}; register before reading the state waited on, so
     * a change between the read and the wait is not missed.
     *
     * @param keys what to wait for
     * @return the waiter, or empty when this instance already has its bound of waiting requests
     */
    public Optional<Waiter> register(List<String> keys) {
        if (count.incrementAndGet() > maxWaiters) {
            count.decrementAndGet();
            return Optional.empty();
        }
        Waiter waiter = new Waiter(keys);
        for (String key : keys) {
            // compute: atomic with close() removing an emptied set, so no waiter lands in a dropped set
            waiting.compute(key, (k, set) -> {
                Set<Waiter> waiters = set != null ? set : ConcurrentHashMap.<Waiter>newKeySet();
                waiters.add(waiter);
                return waiters;
            });
        }
        return Optional.of(waiter);
    }

    /** @return the requests waiting now (for tests and metrics) */
    public int waiting() {
        return count.get();
    }

    /** One waiting request. Closing it unregisters it. */
    public final class Waiter implements AutoCloseable {

        private final List<String> keys;
        private final Semaphore woken = new Semaphore(0);
        private boolean closed;

        private Waiter(List<String> keys) {
            this.keys = keys;
        }

        private void wake() {
            if (woken.availablePermits() == 0) {
                woken.release();
            }
        }

        /**
         * Waits until one of the keys is signalled or {@code millis} passed.
         *
         * @return whether a signal came (one that came since the last call counts)
         */
        public boolean await(long millis) throws InterruptedException {
            boolean signalled = woken.tryAcquire(Math.max(0, millis), TimeUnit.MILLISECONDS);
            woken.drainPermits();
            return signalled;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            for (String key : keys) {
                waiting.computeIfPresent(key, (k, set) -> {
                    set.remove(this);
                    return set.isEmpty() ? null : set;
                });
            }
            count.decrementAndGet();
        }
    }
}
