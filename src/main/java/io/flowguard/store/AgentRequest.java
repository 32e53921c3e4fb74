package io.flowguard.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * A question parked for an agent role. Its deadline is a row, not a timer, so it fires after a
 * restart too; {@code @Version} makes concurrent answers (and an answer racing the deadline)
 * resolve to exactly one winner.
 */
@Entity

@Table(name = "agent_request")
public class AgentRequest {

    /** Where a request stands. */
    public enum Status {
        /** Waiting for the role to answer. */
        PENDING,
        /** Answered; the execution moved on. */
        ANSWERED,
        /** The deadline passed first. */
        TIMED_OUT,
        /** The execution was cancelled first. */
        CANCELLED
    }

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id;

    @Column(name = "execution_id", nullable = false, updatable = false)
    private UUID executionId;

    @Column(name = "agent_role", nullable = false, updatable = false, length = 64)
    private String role;

    // Renamed only by StoreTransaction#commitMigration (the asking step's name in the version it moved to).
    @Column(name = "step", nullable = false, length = 100)
    private String step;

    @Column(name = "question", nullable = false, updatable = false, length = 2000)
    private String question;

    @Column(name = "payload", updatable = false, length = 65_536)
    private String payload;

    @Column(name = "deadline", nullable = false, updatable = false)
    private Instant deadline;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false, length = 20)
    private Status status;

    @Column(name = "answer", length = 65_536)
    private String answer;

    @Column(name = "answered_by", length = 1024)
    private String answeredBy;

    @Column(name = "answered_at")
    private Instant answeredAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    /** For JPA. */
    protected AgentRequest() {
    }

    /**
     * @param id          its id
     * @param executionId the waiting execution
     * @param role        the addressed role
     * @param step        the asking step
     * @param question    the question
     * @param payload     the payload as JSON (or null)
     * @param deadline    when the wait ends
     * @param now         creation time
     */
    public AgentRequest(UUID id, UUID executionId, String role, String step, String question, String payload,
                        Instant deadline, Instant now) {
        this.id = id;
        this.executionId = executionId;
        this.role = role;
        this.step = step;
        this.question = question;
        this.payload = payload;
        this.deadline = deadline;
        this.status = Status.PENDING;
        this.createdAt = now;
    }

    /**
     * Records the answer on this copy, as {@link StoreTransaction#answerOnce} wrote it to the row
     * (the step that resumes reads it from here).
     *
     * @param json    the answer as JSON
     * @param subject who answered
     * @param now     when
     */
    public void answer(String json, String subject, Instant now) {
        requirePending();
        this.status = Status.ANSWERED;
        this.answer = json;
        this.answeredBy = subject;
        this.answeredAt = now;
    }

    private void requirePending() {
        if (status != Status.PENDING) {
            throw new IllegalStateException("agent request " + id + " is " + status);
        }
    }

    public UUID id() {
        return id;
    }

    public UUID executionId() {
        return executionId;
    }

    public String role() {
        return role;
    }

    public String step() {
        return step;
    }

    public String question() {
        return question;
    }

    public String payload() {
        return payload;
    }

    public Instant deadline() {
        return deadline;
    }

    public Status status() {
        return status;
    }

    public String answer() {
        return answer;
    }

    public String answeredBy() {
        return answeredBy;
    }

    public Instant answeredAt() {
        return answeredAt;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public long version() {
        return version;
    }
}
