package io.flowguard.watch;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads something again until it is as a client waits for it to be, or the wait is over: at
 * once when this instance commits a change with one of the given keys, and every
 * {@code flowguard.api.wait.recheck} for changes other instances commit. Request threads are
 * virtual, so a waiting request holds no platform thread. A wait whose client closed its
 * connection ends at the next recheck ({@link ClientPresence}), giving its waiter slot back.
 */
@ApplicationScoped
public class LongPoll {

    @Inject
    ChangeSignals signals;

    @Inject
    @ConfigProperty(name = "flowguard.api.wait.max", defaultValue = "PT30S")
    Duration maxWait;

    @Inject
    @ConfigProperty(name = "flowguard.api.wait.recheck", defaultValue = "PT0.5S")
    Duration recheck;

    /**
     * What a wait found.
     *
     * @param value  the last read
     * @param waited whether the request waited (false: the bound of waiting requests was reached,
     *               or what it waits for was already there)
     */
    public record Outcome<T>(T value, boolean waited) {
    }

    /** @return the longest a request may wait, whatever it asks for */
    public Duration maxWait() {
        return maxWait;
    }

    /**
     * @param wait how long the client is willing to wait (already capped at {@link #maxWait()})
     * @param keys the changes that may end the wait
     * @param read reads the current value (its own transaction)
     * @param done whether a value is what the client waits for
     * @return the first value that is done, or the last read when the wait ran out
     */
    public <T> Outcome<T> await(Duration wait, List<String> keys, Supplier<T> read, Predicate<T> done) {
        Optional<ChangeSignals.Waiter> registered = signals.register(keys);
        if (registered.isEmpty()) {
            return new Outcome<>(read.get(), false);
        }
        try (ChangeSignals.Waiter waiter = registered.get()) {
            long deadline = System.nanoTime() + wait.toNanos();
            T value = read.get();
            while (!done.test(value) && !ClientPresence.gone()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                try {
                    waiter.await(Math.min(left, recheck.toMillis()));
                } catch (InterruptedException stopping) {
                    // the server is stopping: answer with what was read last
                    Thread.currentThread().interrupt();
                    break;
                }
                value = read.get();
            }
            return new Outcome<>(value, true);
        }
    }
}
