package io.flowguard.engine;

import java.time.Instant;
import java.util.logging.Logger;

import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.store.EventType;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.ExecutionWrite;

/**
 * Ends an execution whose row names what this build does not have: its flow version
 * ({@value #UNKNOWN_FLOW}: the version was bumped in place, or the flow removed) or the step it
 * waits on or runs next ({@value #UNKNOWN_STEP}: a step of a released version was renamed).
 * Such an execution can never move on, so it must not stick (holding its owner's quota slot)
 * nor loop (claimed, answered or swept again and again): wherever the engine meets it, on claim,
 * on answer or on deadline, it fails here, once, in that caller's write.
 */
final class Unrunnable {

    /** The error type of an execution whose flow version is not registered. */
    static final String UNKNOWN_FLOW = "unknown_flow";
    /** The error type of an execution whose waiting or next step is not part of its flow. */
    static final String UNKNOWN_STEP = "unknown_step";

    private static final Logger AUDIT = Logger.getLogger("flowguard.audit");

    private Unrunnable() {
    }

    /**
     * @param flow the execution's flow as registered, or null when it is not
     * @param step the step the execution waits on or runs next
     * @return {@value #UNKNOWN_FLOW}, {@value #UNKNOWN_STEP}, or null when both are registered
     */
    static String check(FlowDefinition flow, String step) {
        if (flow == null) {
            return UNKNOWN_FLOW;
        }
        return step == null || flow.step(step).isEmpty() ? UNKNOWN_STEP : null;
    }

    /** @return the message recorded in the execution's error and history for an error type */
    static String message(String errorType) {
        return UNKNOWN_FLOW.equals(errorType)
                ? "the flow version this execution was started on is not registered"
                : "a step this execution waits on or runs next is not part of its flow";
    }

    /**
     * Fails the execution: the reason in its history and error, its waits cancelled, its lease
     * and schedule cleared and its owner's quota slot given back ({@link Settle#end}); one audit
     * line once it committed, and unknown flows counted.
     *
     * @param w         the execution's write, not yet terminal
     * @param errorType {@value #UNKNOWN_FLOW} or {@value #UNKNOWN_STEP}
     * @param actor     who met it (a worker id, or the answering subject)
     */
    static void fail(EngineParts parts, ExecutionWrite w, String errorType, String actor, Instant now) {
        // Never log the stored names themselves: they are data, and may be hostile.
        String line = "event=" + errorType + " execution=" + w.row().id() + " flow_length="
                + w.row().flow().length() + " version=" + w.row().flowVersion();
        w.afterCommit(() -> {
            AUDIT.warning(line);
            if (UNKNOWN_FLOW.equals(errorType)) {
                parts.unknownFlows().incrementAndGet();
            }
        });
        String message = message(errorType);
        w.append(EventType.FAILED, null, actor, message, now);
        Settle.end(parts, w, ExecutionStatus.FAILED, errorType, message, actor, now);
    }
}
