package io.flowguard.engine;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

import io.flowguard.store.OneLineError;

/**
 * Keeps an engine's workers (its worker pool, {@link Engine#runDue()}) shut until its
 * {@link DeploymentCheck} has passed: once passed, it stays passed for the engine's life (what
 * older instances start later, the run-time guard meets). A refusal is remembered for readiness,
 * and the check runs again when asked again.
 *
 * <p>A database that is down when the workers are to start does not stop the engine from
 * starting: the check then waits on a thread of its own until the database is ready, and starts
 * the workers once it passed ({@link #whenReady}).
 */
final class DeploymentGate {

    private static final Logger LOG = Logger.getLogger(DeploymentGate.class.getName());
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(5);

    private final DeploymentCheck check;
    private final EngineParts parts;
    private final OnMissing choice;
    private final DeploymentCheck.Log log;
    private final String actor;
    private volatile boolean passed;
    private volatile DeploymentReport refused;
    private volatile boolean closed;
    private Thread waiting;

    DeploymentGate(DeploymentCheck check, EngineParts parts, OnMissing choice, DeploymentCheck.Log log, String actor) {
        this.check = check;
        this.parts = parts;
        this.choice = choice;
        this.log = log;
        this.actor = actor;
    }

    /**
     * Runs the check unless it passed already.
     *
     * @throws DeploymentRefused when it refuses (nothing was changed)
     */
    synchronized void pass() {
        if (passed) {
            return;
        }
        try {
            check.run(parts, choice, actor, log);
        } catch (DeploymentRefused e) {
            refused = e.report();
            throw e;
        }
        refused = null;
        passed = true;
    }

    /** @return whether the check has passed */
    boolean passed() {
        return passed;
    }

    /** @return what the last check that refused found, while the check has not passed since */
    Optional<DeploymentReport> refusal() {
        return Optional.ofNullable(refused);
    }

    /**
     * Runs the check, then {@code start}, on a thread of its own once {@code ready} says the
     * database is (again after a failure to read it): a refusal there leaves the workers stopped
     * (logged, and shown by {@link #refusal()}).
     *
     * @param ready whether the database is ready
     * @param poll  how often to ask
     * @param name  the thread's name
     * @param start what to run once the check passed
     */
    synchronized void whenReady(BooleanSupplier ready, Duration poll, String name, Runnable start) {
        if (waiting != null) {
            return;
        }
        waiting = Thread.ofPlatform().name(name).daemon().start(() -> {
            while (!closed) {
                if (!ready.getAsBoolean()) {
                    pause(poll);
                    continue;
                }
                try {
                    pass();
                    start.run();
                    return;
                } catch (DeploymentRefused e) {
                    LOG.severe("workers not started: " + e.getMessage());
                    return;
                } catch (RuntimeException e) {
                    // the database went away again mid-check: wait for it once more
                    LOG.warning("deployment check could not run, trying again: " + OneLineError.of(e));
                    pause(AFTER_FAILURE.compareTo(poll) > 0 ? AFTER_FAILURE : poll);
                }
            }
        });
    }

    private synchronized void pause(Duration poll) {
        try {
            wait(Math.max(1, poll.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Stops a wait for the database; a check already running finishes. */
    void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            notifyAll();
            t = waiting;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
