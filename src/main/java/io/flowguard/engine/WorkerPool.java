package io.flowguard.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

import io.flowguard.store.AgentRequest;
import io.flowguard.store.FlowExecution;
import io.flowguard.store.LeaseStore;
import io.flowguard.store.OneLineError;

/**
 * One engine instance's workers: a claimer that takes runnable executions with a lease, as many
 * at a time as there are idle workers (at most {@code flowguard.engine.claim-batch}), hand-offs
 * of the executions this instance's own starts and answers made runnable ({@link #reserve()}), a bounded
 * pool of threads that drive them, a heartbeat that keeps the leases of executions being run
 * alive, and the deadline sweeper. Several pools (in one process or many) share a database safely.
 *
 * <p>Claiming only for idle workers matters: an execution claimed by a busy worker would wait
 * behind the others of its batch, holding a lease no other instance can take. Hand-offs are the
 * exception, and a bounded one: a start or answer that finds every worker busy may still lease its
 * execution here (up to {@code flowguard.engine.hand-off-backlog}) and waits for a worker to
 * finish. The heartbeat keeps those leases like any other, so a wait costs no commit, and a crash
 * leaves them to expire like any other. So that the backlog never starves what was left to the
 * claimers (executions started or answered while it was full, or by another instance), a worker
 * runs one waiting hand-off per turn and then counts as idle, and idle workers go first to a
 * claimer that is waiting for one (a fair semaphore, never barged).
 *
 * <p>{@link #stop(Duration)} is the graceful path (stop claiming, let running steps finish, let go
 * of leases); steps still running when the grace is over are abandoned: they commit nothing, and
 * their leases are let go like the others. A crash (the process or its database gone) leaves
 * leases to expire.
 */
public final class WorkerPool implements StepRunner.Worker {

    private static final Logger LOG = Logger.getLogger(WorkerPool.class.getName());

    private final String id;
    private final Clock clock;
    private final EngineSettings settings;
    private final LeaseStore leases;
    private final StepRunner runner;
    private final DeadlineSweeper sweeper;
    private final BooleanSupplier databaseReady;
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();
    private final Semaphore wakeUp = new Semaphore(0);
    /** Hand-offs leased while every worker was busy, run by the next worker to finish. */
    private final ConcurrentLinkedQueue<Job> waiting = new ConcurrentLinkedQueue<>();
    /** Places in {@link #waiting}, taken by reservations before their transaction commits. */
    private final AtomicInteger backlog = new AtomicInteger();
    /** Idle workers: a claim takes at most this many executions. Fair: a waiting claimer goes first. */
    private Semaphore idleWorkers;
    private Thread claimer;
    private final AtomicLong consecutiveFailures = new AtomicLong();
    private volatile boolean running;
    private volatile boolean killed;
    private final LongAdder saturatedPolls = new LongAdder();
    private ExecutorService workers;
    private ScheduledExecutorService timers;

    /**
     * @param id            this instance's worker id (the lease owner name; unique per instance)
     * @param clock         the time leases are measured by
     * @param settings      engine settings
     * @param leases        the claim and heartbeat SQL
     * @param runner        drives claimed executions
     * @param sweeper       fires expired agent waits
     * @param databaseReady whether to claim at all right now
     */
    WorkerPool(String id, Clock clock, EngineSettings settings, LeaseStore leases, StepRunner runner,
               DeadlineSweeper sweeper, BooleanSupplier databaseReady) {
        this.id = id;
        this.clock = clock;
        this.settings = settings;
        this.leases = leases;
        this.runner = runner;
        this.sweeper = sweeper;
        this.databaseReady = databaseReady;
    }

    /** Starts the workers, heartbeats and sweeper. */
    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        workers = Executors.newFixedThreadPool(settings.workers(), Thread.ofPlatform().name(id + "-worker-", 0).factory());
        idleWorkers = new Semaphore(settings.workers(), true);
        claimer = Thread.ofPlatform().name(id + "-claimer").start(this::claimLoop);
        timers = Executors.newScheduledThreadPool(2, Thread.ofPlatform().name(id + "-timer-", 0).daemon().factory());
        long beat = settings.heartbeatInterval().toMillis();
        timers.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        long sweep = settings.sweepInterval().toMillis();
        timers.scheduleWithFixedDelay(() -> {
            if (running && databaseReady.getAsBoolean()) {
                sweeper.sweep(id);
            }
        }, sweep, sweep, TimeUnit.MILLISECONDS);
        LOG.info("worker pool " + id + " started with " + settings.workers() + " workers");
    }

    /**
     * Wakes the idle claimer now (after a local start or answer, instead of waiting for the next
     * poll). One pending wake-up is enough for the one claimer: more would only make it claim
     * again for nothing.
     */
    void nudge() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    /**
     * Reserves an idle worker, or else a place in the backlog, for an execution the caller is about
     * to make runnable in its own transaction, under the returned reservation's
     * {@link Reservation#lease()}. Claimers of this and other instances leave the execution alone
     * while the lease holds.
     *
     * @return the reservation; without a lease when neither is free (the claimers take it then)
     */
    Reservation reserve() {
        if (!running || !databaseReady.getAsBoolean()) {
            return new Reservation(this, null, false);
        }
        LocalLease lease = new LocalLease(id, clock.instant().plus(settings.leaseDuration()));
        if (takeIdleWorker()) {
            return new Reservation(this, lease, true);
        }
        if (backlog.incrementAndGet() <= settings.handOffBacklog()) {
            return new Reservation(this, lease, false);
        }
        backlog.decrementAndGet();
        return new Reservation(this, null, false);
    }

    /**
     * Runs an execution a transaction of this instance leased to a reservation: at once on the
     * reserved worker, or after the work before it when the reservation holds a backlog place.
     */
    private void handOff(Job job, boolean withWorker) {
        held.add(job.execution());
        if (withWorker) {
            submit(job);
            return;
        }
        waiting.add(job);
        // every worker may have finished since the reservation: then nobody would look at the queue
        runWaiting();
    }

    /** Gives a waiting hand-off an idle worker, if there is one that no claimer is waiting for. */
    private void runWaiting() {
        if (running && !waiting.isEmpty() && takeIdleWorker()) {
            submit(null);
        }
    }

    /** @return whether an idle worker was taken; never one a waiting claimer is queued for */
    private boolean takeIdleWorker() {
        try {
            return idleWorkers.tryAcquire(0, TimeUnit.MILLISECONDS); // the timed form honours fairness
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code first} (if any), then what waits, on a worker already counted busy. */
    private void submit(Job first) {
        try {
            workers.execute(() -> work(first));
        } catch (RejectedExecutionException stopping) {
            // the pool stopped in between: the leases are in held for stop() to release, or lapse
            idleWorkers.release();
        }
    }

    /**
     * A worker held back for one execution. {@link #handOff} gives it the execution once the
     * transaction that made it runnable has committed; closing it without that frees the worker.
     */
    static final class Reservation implements AutoCloseable {

        private final WorkerPool pool;
        private final LocalLease lease;
        private final boolean withWorker;
        private boolean used;

        private Reservation(WorkerPool pool, LocalLease lease, boolean withWorker) {
            this.pool = pool;
            this.lease = lease;
            this.withWorker = withWorker;
        }

        /** @return a reservation of nothing, for an instance that runs no workers */
        static Reservation none() {
            return new Reservation(null, null, false);
        }

        /** @return the lease to write into the transaction, or null when neither a worker nor a backlog place was free */
        LocalLease lease() {
            return lease;
        }

        /**
         * Runs the committed execution on the reserved worker if the transaction leased it to
         * this reservation; otherwise wakes the claimer (the execution may be due for it).
         *
         * @param committed the row as the transaction committed it
         * @param answered  the agent request the transaction answered, or null
         */
        void handOff(FlowExecution committed, AgentRequest answered) {
            if (pool == null) {
                return;
            }
            if (lease == null || used || !lease.owner().equals(committed.leaseOwner())) {
                pool.nudge();
                return;
            }
            used = true;
            pool.handOff(new Job(committed.id(), committed, answered), withWorker);
        }

        @Override
        public void close() {
            if (lease != null && !used) {
                used = true;
                if (withWorker) {
                    pool.idleWorkers.release();
                } else {
                    pool.backlog.decrementAndGet();
                }
            }
        }
    }

    private void claimLoop() {
        while (running) {
            int taken = 0;
            try {
                if (!databaseReady.getAsBoolean()) {
                    idle();
                    continue;
                }
                // wait for an idle worker, then claim for every idle one (up to a batch); never
                // interrupted while it may be in JDBC (an interrupt closes H2's file channel)
                if (!idleWorkers.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    saturatedPolls.increment();
                    continue;
                }
                taken = 1 + idleWorkers.drainPermits();
                int want = Math.min(taken, settings.claimBatch());
                idleWorkers.release(taken - want);
                taken = want;
                if (!running) {
                    break;
                }
                Instant now = clock.instant();
                List<UUID> claimed = leases.claim(id, now, now.plus(settings.leaseDuration()), want);
                held.addAll(claimed);
                idleWorkers.release(want - claimed.size());
                runWaiting();
                taken = claimed.size();
                for (UUID execution : claimed) {
                    Job job = new Job(execution, null, null);
                    workers.execute(() -> work(job));
                    taken--;
                }
                if (claimed.size() < want) {
                    // nothing more is runnable now: wait for a nudge (a local start or answer) or the poll
                    idle();
                }
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception | LinkageError e) {
                // a claim that failed, or drives the stopped pool refused (those stay in held)
                idleWorkers.release(taken);
                runWaiting();
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

    /**
     * One worker's turn: {@code first} (a claimed or handed-off execution, or null), then one
     * hand-off waiting in the backlog; then the worker counts as idle again, and a claimer waiting
     * for a worker gets it before the backlog does.
     */
    private void work(Job first) {
        try {
            if (first != null) {
                drive(first);
            }
            Job next = nextWaiting();
            if (next != null) {
                drive(next);
            }
        } finally {
            idleWorkers.release();
        }
        runWaiting();
    }

    private Job nextWaiting() {
        if (!running) {
            return null; // still in held: stop() lets go of their leases
        }
        Job job = waiting.poll();
        if (job != null) {
            backlog.decrementAndGet();
        }
        return job;
    }

    private void drive(Job job) {
        try {
            if (running) {
                runner.drive(this, job.execution(), job.committed(), job.answered());
            }
            // else claimed but not run: still in held, so stop() lets go of it
        } finally {
            // A graceful stop may have cut the drive short with the lease still ours: keep it in
            // held for stop() to release. While running, drive let go itself (or the lease simply
            // expires after a failure).
            if (running) {
                held.remove(job.execution());
            }
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
        if (killed) {
            return;
        }
        Instant now = clock.instant();
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
        wakeUp.release();
        try {
            // its claim in flight, if any, commits and lands in held, released below
            claimer.join(Math.max(1, grace.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    /** @return hand-offs leased to this instance and waiting for a worker (a gauge) */
    public int waitingHandOffs() {
        return waiting.size();
    }

    /**
     * @return poll intervals the claimer waited through without claiming because every worker was
     *         busy (a counter: its rate times the poll interval is the share of time this instance
     *         was saturated)
     */
    public long saturatedPolls() {
        return saturatedPolls.sum();
    }

    /** @return workers free to take an execution now (a gauge) */
    public int idleWorkers() {
        Semaphore idle = idleWorkers;
        return idle == null ? 0 : idle.availablePermits();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean stopped() {
        return killed;
    }

    /**
     * An execution for a worker to drive.
     *
     * @param execution its id
     * @param committed the row a hand-off committed (the drive starts from it), or null after a claim
     * @param answered  the agent request a hand-off answered, or null
     */
    private record Job(UUID execution, FlowExecution committed, AgentRequest answered) {
    }
}
