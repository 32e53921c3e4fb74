package io.flowguard.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything one transaction writes for one execution: the row's new values (changed on a copy
 * the engine read, which still carries the version it was read at), the history events it
 * appends, the agent requests it opens, and whether it closes the execution's open requests and
 * gives its owner's quota slot back. The engine decides all of it; a {@link StoreTransaction}
 * writes it, the guarded row update first, so a refused guard writes nothing at all.
 */
public final class ExecutionWrite {

    private final FlowExecution row;
    private final long expectedVersion;
    private final String stateAsRead;
    private final List<ExecutionEvent> events = new ArrayList<>();
    private final List<AgentRequest> asked = new ArrayList<>();
    private boolean closesOpenRequests;
    private boolean givesBackQuota;
    private final List<Runnable> afterCommit = new ArrayList<>();

    /**
     * @param row the execution as read (changed in place from here on)
     */
    public ExecutionWrite(FlowExecution row) {
        this.row = Objects.requireNonNull(row);
        this.expectedVersion = row.version();
        this.stateAsRead = row.state();
    }

    /** @return the row being changed */
    public FlowExecution row() {
        return row;
    }

    /**
     * Appends a history event, numbered in the row's sequence.
     *
     * @param type   what happened
     * @param step   the step it concerns, or null
     * @param actor  who did it
     * @param detail a safe description, or null
     * @param at     when
     */
    public void append(EventType type, String step, String actor, String detail, Instant at) {
        String stepRunId = step == null ? null : row.id() + ":" + step;
        events.add(new ExecutionEvent(row.id(), row.nextEventSeq(), type, step, stepRunId, actor, detail, at));
    }

    /** @param request a new agent request of this execution */
    public void ask(AgentRequest request) {
        asked.add(request);
    }

    /** Cancels the execution's pending agent requests (it is ending). */
    public void closeOpenRequests() {
        closesOpenRequests = true;
    }

    /** Gives the owner's quota slot back (the execution moved to a terminal status). */
    public void giveBackQuota() {
        givesBackQuota = true;
    }

    /** @param action run once this write has committed (a meter, a wake-up), never if it did not */
    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    List<Runnable> afterCommitActions() {
        return afterCommit;
    }

    long expectedVersion() {
        return expectedVersion;
    }

    boolean stateChanged() {
        return !row.state().equals(stateAsRead);
    }

    List<ExecutionEvent> events() {
        return events;
    }

    List<AgentRequest> asked() {
        return asked;
    }

    boolean closesOpenRequests() {
        return closesOpenRequests;
    }

    boolean givesBackQuota() {
        return givesBackQuota;
    }
}
