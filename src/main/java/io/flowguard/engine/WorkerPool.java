package io.flowguard.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

import io.flowguard.store.LeaseStore;
import io.flowguard.store.OneLineError;

/**
 * One engine instance's workers: a bounded pool of threads that claim runnable executions with a
 * lease and drive them, a heartbeat that keeps the leases of executions being run alive, and the
 * deadline sweeper. Several pools (in one process or many) share a database safely.
 *
 * <p>{@link #stop(Duration)} is the graceful path (stop claiming, let running steps finish, let go
 * of leases); {@link #kill()} abandons everything as a crash would, leaving leases to expire.
 */
public final class WorkerPool implements StepRunner.Worker {

    private static final Logger LOG = Logger.getLogger(WorkerPool.class.getName());

    private final String id;
    private final EngineSettings settings;
    private final LeaseStore leases;
    private final StepRunner runner;
    private final DeadlineSweeper sweeper;
    private final BooleanSupplier databaseReady;
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();
    private final Semaphore wakeUp = new Semaphore(0);
    private final java.util.concurrent.atomic.AtomicLong consecutiveFailures = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean running;
    private volatile boolean killed;
    private volatile boolean heartbeatsPaused;
    private ExecutorService workers;
    private ScheduledExecutorService timers;

    /**
     * @param id            this instance's worker id (the lease owner name; unique per instance)
     * @param settings      engine settings
     * @param leases        the claim and heartbeat SQL
     * @param runner        drives claimed executions
     * @param sweeper       fires expired agent waits
     * @param databaseReady whether to claim at all right now
     */
    public WorkerPool(String id, EngineSettings settings, LeaseStore leases, StepRunner runner,
                      DeadlineSweeper sweeper, BooleanSupplier databaseReady) {
        this.id = id;
        this.settings = settings;
        this.leases = leases;
        this.runner = runner;
        this.sweeper = sweeper;
        this.databaseReady = databaseReady;
    }

    /** Starts the workers, heartbeats and sweeper. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        workers = Executors.newFixedThreadPool(settings.workers(), Thread.ofPlatform().name(id + "-worker-", 0).factory());
        for (int i = 0; i < settings.workers(); i++) {
            workers.submit(this::workLoop);
        }
        timers = Executors.newScheduledThreadPool(2, Thread.ofPlatform().name(id + "-timer-", 0).daemon().factory());
        long beat = settings.heartbeatInterval().toMillis();
        timers.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        long sweep = settings.sweepInterval().toMillis();
        timers.scheduleWithFixedDelay(() -> sweeper.sweep(id, () -> running && databaseReady.getAsBoolean()),
                sweep, sweep, TimeUnit.MILLISECONDS);
        LOG.info("worker pool " + id + " started with " + settings.workers() + " workers");
    }

    /** Wakes idle workers now (after a local start, instead of waiting for the next poll). */
    public void nudge() {
        if (wakeUp.availablePermits() < settings.workers()) {
            wakeUp.release();
        }
    }

    private void workLoop() {
        while (running) {
            try {
                if (!databaseReady.getAsBoolean()) {
                    idle();
                    continue;
                }
                Instant now = Instant.now();
                List<UUID> claimed = leases.claim(id, now, now.plus(settings.leaseDuration()), settings.claimBatch());
                held.addAll(claimed);
                for (UUID execution : claimed) {
                    if (!running) {
                        break; // claimed but not run: still in held, so stop() lets go of them
                    }
                    try {
                        runner.drive(this, execution);
                    } finally {
                        // A graceful stop may have cut the drive short with the lease still ours:
                        // keep it in held for stop() to release. While running, drive let go itself
                        // (or the lease simply expires after a failure).
                        if (running) {
                            held.remove(execution);
                        }
                    }
                }
                if (claimed.isEmpty()) {
                    idle();
                }
            } catch (Exception | LinkageError e) {
                if (running) {
                    // One line when trouble starts (e.g. the database went away), not one per poll.
                    if (consecutiveFailures.incrementAndGet() % 1000 == 1) {
                        LOG.warning("worker " + id + ": " + OneLineError.of(e));
                    }
                    idle();
                }
                continue;
            }
            consecutiveFailures.set(0);
        }
    }

    private void idle() {
        try {
            wakeUp.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void heartbeat() {
        if (heartbeatsPaused || killed) {
            return;
        }
        Instant now = Instant.now();
        for (UUID execution : held) {
            try {
                if (!leases.heartbeat(execution, id, now, now.plus(settings.leaseDuration()))) {
                    // Not extended: either the drive let go a moment ago (parked, finished, released:
                    // nobody holds it) or the lease expired and another worker took it over.
                    String owner = leases.leaseOwner(execution);
                    if (owner != null && !owner.equals(id)) {
                        LOG.warning("worker " + id + " lost its lease on execution " + execution + " to " + owner);
                    }
                }
            } catch (Exception e) {
                LOG.warning("heartbeat failed: " + OneLineError.of(e));
            }
        }
    }

    /**
     * Graceful stop: claims nothing more, lets running steps commit within {@code grace}, then
     * lets go of any lease still held so another instance continues at once.
     *
     * @param grace how long to wait for running steps
     */
    public synchronized void stop(Duration grace) {
        if (!running && workers == null) {
            return;
        }
        running = false;
        wakeUp.release(settings.workers());
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                killed = true;
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        try {
            timers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (UUID execution : held) {
            try {
                runner.release(id, execution);
            } catch (RuntimeException e) {
                LOG.warning("could not release lease on " + execution + ": " + OneLineError.of(e));
            }
        }
        LOG.info("worker pool " + id + " stopped");
    }

    /** Simulates a crash: everything stops at once, nothing more is committed, leases are left to expire. */
    public synchronized void kill() {
        killed = true;
        running = false;
        if (timers != null) {
            timers.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    /** Stops heartbeats only (a stalled process): leases lapse while steps keep running. */
    public void pauseHeartbeats() {
        heartbeatsPaused = true;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean stopped() {
        return killed;
    }
}
