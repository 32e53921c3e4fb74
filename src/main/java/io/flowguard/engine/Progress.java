package io.flowguard.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The engine's bookkeeping for one execution, stored as JSON of this one fixed shape
 * (never a type read from the data).
 *
 * @param queue     steps ready to run, in order
 * @param fired     triggers fired so far (step names, labels, timeouts)
 * @param activated steps ever queued (each runs at most once)
 * @param waiting   asking steps whose agent has not answered yet
 * @param attempt   the attempt number of the step at the head of the queue (1 = first run)
 */
public record Progress(List<String> queue, Set<String> fired, Set<String> activated, Set<String> waiting, int attempt) {

    /** Defensive copies, so one execution's bookkeeping never aliases another's. */
    public Progress {
        queue = List.copyOf(queue);
        fired = Set.copyOf(fired);
        activated = Set.copyOf(activated);
        waiting = Set.copyOf(waiting);
    }

    /**
     * @param starts the flow's start steps
     * @return the bookkeeping of a new execution
     */
    public static Progress starting(List<String> starts) {
        return new Progress(starts, Set.of(), Set.copyOf(starts), Set.of(), 1);
    }

    /** @return the step to run next, or null when nothing is queued */
    public String head() {
        return queue.isEmpty() ? null : queue.get(0);
    }

    /** @return this progress with the head removed and the attempt reset */
    public Progress popHead() {
        return new Progress(queue.subList(1, queue.size()), fired, activated, waiting, 1);
    }

    /** @return this progress with the head's attempt counted up */
    public Progress nextAttempt() {
        return new Progress(queue, fired, activated, waiting, attempt + 1);
    }

    /**
     * @param trigger the trigger that fired
     * @param steps   the steps it activated
     * @return this progress with the trigger recorded and the steps queued
     */
    public Progress fire(String trigger, List<String> steps) {
        List<String> q = new ArrayList<>(queue);
        q.addAll(steps);
        Set<String> f = new LinkedHashSet<>(fired);
        f.add(trigger);
        Set<String> a = new LinkedHashSet<>(activated);
        a.addAll(steps);
        return new Progress(q, f, a, waiting, attempt);
    }

    /**
     * Fires a trigger through the flow's graph: records it and queues what it activates.
     *
     * @param flow    the flow's graph
     * @param trigger a step name, label or timeout
     * @return the progress after the trigger
     */
    public Progress after(io.flowguard.engine.graph.FlowDefinition flow, String trigger) {
        Set<String> f = new LinkedHashSet<>(fired);
        f.add(trigger);
        return fire(trigger, flow.activate(trigger, f, activated));
    }

    /**
     * @param step an asking step
     * @return this progress waiting for it too
     */
    public Progress waitFor(String step) {
        Set<String> w = new LinkedHashSet<>(waiting);
        w.add(step);
        return new Progress(queue, fired, activated, w, attempt);
    }

    /**
     * @param step an asking step whose wait ended
     * @return this progress no longer waiting for it
     */
    public Progress stopWaiting(String step) {
        Set<String> w = new LinkedHashSet<>(waiting);
        w.remove(step);
        return new Progress(queue, fired, activated, w, attempt);
    }

    /** @return progress with nothing left to run or wait for */
    public Progress cleared() {
        return new Progress(List.of(), fired, activated, Set.of(), 1);
    }
}
