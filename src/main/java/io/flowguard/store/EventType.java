package io.flowguard.store;

/** The kinds of entry in an execution's history. */
public enum EventType {
    /** The execution was created (detail: flow and version). */
    CREATED,
    /** The status changed (detail: {@code FROM -> TO}). */
    STATUS,
    /** A step began (written in the same transaction as its result). */
    STEP_STARTED,
    /** A step finished and its result was committed. */
    STEP_COMPLETED,
    /** A router chose a label (detail: the label). */
    ROUTED,
    /** A step asked an agent (detail: role and request id). */
    ASKED,
    /** An agent answered (actor: the answering subject). */
    ANSWERED,
    /** An agent wait passed its deadline. */
    TIMED_OUT,
    /** A step threw and will run again (detail: attempt, delay, error). */
    RETRY_SCHEDULED,
    /** A step threw and has no retries left (detail: error). */
    STEP_FAILED,
    /** The execution was cancelled (actor: who). */
    CANCELLED,
    /** A running step's result was dropped because the execution was cancelled meanwhile. */
    RESULT_DISCARDED,
    /** The execution failed for a reason outside its steps (unknown flow, oversized state). */
    FAILED,
    /** The execution moved to another version of its flow (detail: {@code v1 -> v2}; actor: the admin). */
    MIGRATED
}
