package io.flowguard.store;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of a flow execution, with every allowed transition written in this one place.
 *
 * <p>PENDING → RUNNING → (WAITING_AGENT → RUNNING)* → COMPLETED | FAILED | CANCELLED | TIMED_OUT.
 * Anything else is a bug in the engine and {@link #checkTransition} throws, so a wrong move can
 * never be persisted quietly.
 */
public enum ExecutionStatus {
    /** Created, not yet picked up by a worker. */
    PENDING,
    /** Steps are runnable or running. */
    RUNNING,
    /** Parked until an agent answers or the deadline passes. */
    WAITING_AGENT,
    /** Finished normally. */
    COMPLETED,
    /** Finished with an error (recorded type and message). */
    FAILED,
    /** Cancelled by its owner or an admin. */
    CANCELLED,
    /** An agent did not answer in time and no timeout path was declared. */
    TIMED_OUT;

    private static final Map<ExecutionStatus, Set<ExecutionStatus>> ALLOWED = allowed();

    private static Map<ExecutionStatus, Set<ExecutionStatus>> allowed() {
        Map<ExecutionStatus, Set<ExecutionStatus>> m = new EnumMap<>(ExecutionStatus.class);
        m.put(PENDING, EnumSet.of(RUNNING, FAILED, CANCELLED));
        m.put(RUNNING, EnumSet.of(WAITING_AGENT, COMPLETED, FAILED, CANCELLED, TIMED_OUT));
        m.put(WAITING_AGENT, EnumSet.of(RUNNING, FAILED, CANCELLED, TIMED_OUT));
        for (ExecutionStatus terminal : EnumSet.of(COMPLETED, FAILED, CANCELLED, TIMED_OUT)) {
            m.put(terminal, EnumSet.noneOf(ExecutionStatus.class));
        }
        m.replaceAll((k, v) -> Collections.unmodifiableSet(v));
        return Collections.unmodifiableMap(m);
    }

    /** @return true when no transition leaves this status */
    public boolean isTerminal() {
        return ALLOWED.get(this).isEmpty();
    }

    /** @return true while the execution counts against its owner's quota */
    public boolean isActive() {
        return !isTerminal();
    }

    /**
     * @param target the next status
     * @return true when {@code this → target} is allowed
     */
    public boolean canMoveTo(ExecutionStatus target) {
        return ALLOWED.get(this).contains(target);
    }

    /**
     * @param target the next status
     * @throws IllegalStateTransitionException when the move is not allowed
     */
    public void checkTransition(ExecutionStatus target) {
        if (!canMoveTo(target)) {
            throw new IllegalStateTransitionException(this, target);
        }
    }

    /** A transition the status machine does not allow. */
    public static final class IllegalStateTransitionException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        IllegalStateTransitionException(ExecutionStatus from, ExecutionStatus to) {
            super("illegal execution status transition " + from + " -> " + to);
        }
    }
}
