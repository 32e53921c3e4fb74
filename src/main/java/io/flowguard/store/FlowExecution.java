package io.flowguard.store;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * One run of a registered flow: its owner, status, JSON state and lease.
 *
 * <p>The row stores only the flow's registered name and version, never a class name; the
 * engine resolves them through the registry. {@code version} is the JPA optimistic lock: a
 * writer holding a stale copy fails instead of overwriting. Status changes go through
 * {@link #moveTo}, which enforces the {@link ExecutionStatus} machine.
 */
@Entity
@Table(name = "flow_execution")
public class FlowExecution {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id;

    @Column(name = "flow", nullable = false, updatable = false, length = 100)
    private String flow;

    // Written only by StoreTransaction#commitMigration (a declared migration to another version).
    @Column(name = "flow_version", nullable = false)
    private int flowVersion;

    @Column(name = "owner", nullable = false, updatable = false, length = 1024)
    private String owner;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false, length = 20)
    private ExecutionStatus status;

    @Column(name = "state", nullable = false, length = 1_048_576)
    private String state;

    @Column(name = "progress", nullable = false, length = 16_000)
    private String progress;

    @Column(name = "last_event_seq", nullable = false)
    private int lastEventSeq;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    @Column(name = "lease_owner", length = 100)
    private String leaseOwner;

    @Column(name = "lease_expires_at")
    private Instant leaseExpiresAt;

    @Column(name = "next_run_at")
    private Instant nextRunAt;

    @Column(name = "error_type", length = 100)
    private String errorType;

    @Column(name = "error", length = 2000)
    private String error;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    /** For JPA. */
    protected FlowExecution() {
    }

    /**
     * A new PENDING execution, due now.
     *
     * @param id          its id
     * @param flow        the registered flow name
     * @param flowVersion the registered flow version
     * @param owner       the subject that started it
     * @param state       the initial state as JSON
     * @param progress    the engine's initial bookkeeping as JSON
     * @param now         creation time
     */
    public FlowExecution(UUID id, String flow, int flowVersion, String owner, String state, String progress,
                         Instant now) {
        this.id = Objects.requireNonNull(id);
        this.flow = Objects.requireNonNull(flow);
        this.flowVersion = flowVersion;
        this.owner = Objects.requireNonNull(owner);
        this.state = Objects.requireNonNull(state);
        this.progress = Objects.requireNonNull(progress);
        this.status = ExecutionStatus.PENDING;
        this.createdAt = now;
        this.updatedAt = now;
        this.nextRunAt = now;
    }

    /**
     * Moves to {@code target} if the status machine allows it; a terminal status stamps
     * {@code finished_at} and clears the schedule.
     *
     * @param target the new status
     * @param now    the time of the change
     */
    public void moveTo(ExecutionStatus target, Instant now) {
        status.checkTransition(target);
        status = target;
        updatedAt = now;
        if (target.isTerminal()) {
            finishedAt = now;
            nextRunAt = null;
        }
    }

    /**
     * Replaces the state.
     *
     * @param json the new state as JSON
     * @param now  the time of the change
     */
    public void replaceState(String json, Instant now) {
        this.state = Objects.requireNonNull(json);
        this.updatedAt = now;
    }

    /**
     * Moves this copy to another version of its flow, as a declared migration decided; only
     * {@link StoreTransaction#commitMigration} writes it.
     *
     * @param flowVersion the version it moves to
     * @param now         the time of the change
     */
    public void migrateTo(int flowVersion, Instant now) {
        this.flowVersion = flowVersion;
        this.updatedAt = now;
    }

    /**
     * @param json the engine's bookkeeping after this change
     */
    public void replaceProgress(String json) {
        this.progress = Objects.requireNonNull(json);
    }

    /**
     * Hands out the next history sequence number; only ever called inside a transaction that
     * also writes this row, so the {@code @Version} check keeps numbers unique.
     *
     * @return the sequence number for the next event
     */
    public int nextEventSeq() {
        return ++lastEventSeq;
    }

    /**
     * Records why the execution failed.
     *
     * @param type    a stable error type
     * @param message a human-readable message (truncated to the column size)
     */
    public void recordError(String type, String message) {
        this.errorType = truncate(type, 100);
        this.error = truncate(message, 2000);
    }

    /**
     * @param at when the next step is due; null when nothing is scheduled
     */
    public void scheduleAt(Instant at) {
        this.nextRunAt = at;
    }

    /**
     * @param worker    the lease holder, or null to release
     * @param expiresAt when the lease lapses
     */
    public void lease(String worker, Instant expiresAt) {
        this.leaseOwner = worker;
        this.leaseExpiresAt = expiresAt;
    }

    private static String truncate(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        return s.substring(0, max);
    }

    public UUID id() {
        return id;
    }

    public String flow() {
        return flow;
    }

    public int flowVersion() {
        return flowVersion;
    }

    public String owner() {
        return owner;
    }

    public ExecutionStatus status() {
        return status;
    }

    public String state() {
        return state;
    }

    public String progress() {
        return progress;
    }

    public int lastEventSeq() {
        return lastEventSeq;
    }

    public long version() {
        return version;
    }

    /** The store wrote this copy: it now stands at {@code written}. */
    void writtenAs(long written) {
        this.version = written;
    }

    public String leaseOwner() {
        return leaseOwner;
    }

    public Instant leaseExpiresAt() {
        return leaseExpiresAt;
    }

    public Instant nextRunAt() {
        return nextRunAt;
    }

    public String errorType() {
        return errorType;
    }

    public String error() {
        return error;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }
}
