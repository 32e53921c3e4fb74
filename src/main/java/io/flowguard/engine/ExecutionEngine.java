package io.flowguard.engine;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.flowguard.flow.FlowDefinition;
import io.flowguard.store.AgentRequest;
import io.flowguard.store.ExecutionEvent;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.FlowExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The engine's Java API, which the REST layer calls: start, read, list, cancel, answer, history.
 * Flow names from callers resolve only through the registry; inputs are validated before
 * anything is written. Ownership and roles are the caller's job (the API layer).
 */
@ApplicationScoped
public class ExecutionEngine {

    @Inject
    private EngineComponents components;
    @Inject
    private ExecutionLifecycle lifecycle;
    @Inject
    private AgentWaits waits;
    @Inject
    private EngineLifecycle engine;

    /**
     * Starts the newest registered version of a flow.
     *
     * @param flowName  a flow name from the caller
     * @param inputJson the initial state as JSON
     * @param owner     the authenticated subject
     * @return the new PENDING execution
     * @throws EngineException UNKNOWN_FLOW, INVALID_INPUT or STATE_TOO_LARGE; nothing is written then
     */
    public FlowExecution start(String flowName, String inputJson, String owner) {
        FlowDefinition flow = components.registry().latest(flowName)
                .orElseThrow(() -> new EngineException(EngineException.Problem.UNKNOWN_FLOW, "no such flow"));
        Object state = components.codec().readInput(inputJson, flow.stateType());
        FlowExecution execution = lifecycle.start(flow, components.codec().writeState(state), owner);
        engine.nudge();
        return execution;
    }

    /**
     * @param id an execution id
     * @return the execution
     */
    public Optional<FlowExecution> get(UUID id) {
        return Optional.ofNullable(lifecycle.find(id));
    }

    /**
     * @param owner  only this owner's (null: all)
     * @param status only this status (null: all)
     * @param limit  page size (1..500)
     * @param offset rows to skip
     * @return newest first
     */
    public List<FlowExecution> list(String owner, ExecutionStatus status, int limit, int offset) {
        return lifecycle.list(owner, status, Math.max(1, Math.min(limit, 500)), Math.max(0, offset));
    }

    /**
     * @param id              the execution
     * @param actor           who cancels
     * @param expectedVersion the version the caller saw (If-Match), or null
     * @return the cancelled execution
     */
    public FlowExecution cancel(UUID id, String actor, Long expectedVersion) {
        return lifecycle.cancel(id, actor, expectedVersion);
    }

    /**
     * @param requestId   the agent request
     * @param callerRoles the caller's agent roles
     * @param subject     the caller
     * @param answerJson  the answer object
     * @return the resumed execution's id
     */
    public UUID answer(UUID requestId, Set<String> callerRoles, String subject, String answerJson) {
        UUID execution = waits.answer(requestId, callerRoles, subject, answerJson);
        engine.nudge();
        return execution;
    }

    /**
     * @param id       the execution
     * @param afterSeq only events after this sequence number
     * @param limit    the most to return (1..1000)
     * @return history, oldest first
     */
    public List<ExecutionEvent> history(UUID id, int afterSeq, int limit) {
        return lifecycle.history(id, Math.max(0, afterSeq), Math.max(1, Math.min(limit, 1000)));
    }

    /**
     * @param roles the caller's agent roles
     * @param limit the most to return
     * @return pending requests for those roles
     */
    public List<AgentRequest> inbox(Set<String> roles, int limit) {
        return waits.inbox(roles, Math.max(1, Math.min(limit, 500)));
    }
}
