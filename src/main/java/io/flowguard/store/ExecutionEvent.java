package io.flowguard.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * One entry of an execution's append-only history. Rows are only ever inserted; {@code seq}
 * orders them within the execution and is the id an event stream resumes from.
 */
@Entity

@Table(name = "execution_event")
public class ExecutionEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "execution_event_ids")
    @SequenceGenerator(name = "execution_event_ids", sequenceName = "execution_event_id_seq", allocationSize = 50)
    @Column(name = "id", nullable = false, updatable = false)
    private Long id;

    @Column(name = "execution_id", nullable = false, updatable = false)
    private UUID executionId;

    @Column(name = "seq", nullable = false, updatable = false)
    private int seq;

    @Column(name = "event_type", nullable = false, updatable = false, length = 40)
    private String type;

    @Column(name = "step", updatable = false, length = 100)
    private String step;

    @Column(name = "step_run_id", updatable = false, length = 120)
    private String stepRunId;

    @Column(name = "actor", updatable = false, length = 1024)
    private String actor;

    @Column(name = "detail", updatable = false, length = 8000)
    private String detail;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    /** For JPA. */
    protected ExecutionEvent() {
    }

    /**
     * @param executionId the execution
     * @param seq         its sequence number within the execution
     * @param type        the event type
     * @param step        the step concerned, if any
     * @param stepRunId   the step run, if any
     * @param actor       who caused it (a subject, or a worker id), if any
     * @param detail      a short human-readable detail (truncated to 8,000 characters)
     * @param createdAt   when
     */
    public ExecutionEvent(UUID executionId, int seq, EventType type, String step, String stepRunId, String actor,
                          String detail, Instant createdAt) {
        this.executionId = executionId;
        this.seq = seq;
        this.type = type.name();
        this.step = step;
        this.stepRunId = stepRunId;
        this.actor = actor == null || actor.length() <= 1024 ? actor : actor.substring(0, 1024);
        this.detail = detail == null || detail.length() <= 8000 ? detail : detail.substring(0, 8000);
        this.createdAt = createdAt;
    }

    public UUID executionId() {
        return executionId;
    }

    public int seq() {
        return seq;
    }

    public String type() {
        return type;
    }

    public String step() {
        return step;
    }

    public String stepRunId() {
        return stepRunId;
    }

    public String actor() {
        return actor;
    }

    public String detail() {
        return detail;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
