package io.flowguard.engine;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.store.AgentRequest;
import io.flowguard.store.ExecutionEvent;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.FlowExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

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
    @Inject
    @ConfigProperty(name = "flowguard.idempotency.ttl", defaultValue = "PT24H")
    private java.time.Duration idempotencyTtl;

    private static final java.util.regex.Pattern IDEMPOTENCY_KEY = java.util.regex.Pattern.compile("[\\x21-\\x7e]{1,255}");

    /**
     * Starts the newest registered version of a flow.
     *
     * @param flowName  a flow name from the caller
     * @param inputJson the caller's input as JSON (the flow's input record)
     * @param owner     the authenticated subject
     * @return the new PENDING execution
     * @throws EngineException UNKNOWN_FLOW, INVALID_INPUT or STATE_TOO_LARGE; nothing is written then
     */
    public FlowExecution start(String flowName, String inputJson, String owner) {
        ValidStart request = validate(flowName, inputJson);
        try (WorkerPool.Reservation worker = engine.reserveWorker()) {
            FlowExecution execution = withQuotaRow(owner,
                    () -> lifecycle.start(request.flow(), request.stateJson(), owner, worker.lease()));
            components.metrics().started(request.flow().name());
            worker.handOff(execution, null);
            return execution;
        }
    }

    /**
     * Runs a start; on the owner's very first one, creates the owner's quota counter and runs it
     * again (the first attempt rolled back having written nothing).
     */
    private <T> T withQuotaRow(String owner, java.util.function.Supplier<T> start) {
        try {
            return start.get();
        } catch (RuntimeException e) {
            if (!(rootCause(e) instanceof OwnerQuota.RowMissing)) {
                throw e;
            }
        }
        try {
            lifecycle.createQuota(owner);
        } catch (RuntimeException createdConcurrently) {
            // Another first start by the same owner created the row: the retry below uses it.
        }
        return start.get();
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Resolves the flow through the registry, reads the input into the flow's input record (a
     * field only its steps write is refused there) and builds the first state from it; writes nothing.
     */
    private ValidStart validate(String flowName, String inputJson) {
        FlowDefinition flow = components.registry().latest(flowName)
                .orElseThrow(() -> new EngineException(EngineException.Problem.UNKNOWN_FLOW, "no such flow"));
        Object input = components.codec().readInput(inputJson, flow.inputType());
        Object state = flow.initialState(input);
        components.codec().validate(state);
        return new ValidStart(flow, components.codec().writeState(state));
    }

    /** A start request that passed every check: the registered flow and the normalized state. */
    private record ValidStart(FlowDefinition flow, String stateJson) {
    }

    /**
     * Starts a flow at most once per idempotency key: the same key and body return the same
     * execution (replayed), another body under the same key is refused, and concurrent duplicates
     * create exactly one execution. Keys are scoped to the owner and expire after
     * {@code flowguard.idempotency.ttl}.
     *
     * @param flowName       a flow name from the caller
     * @param inputJson      the caller's input as JSON (the flow's input record)
     * @param owner          the authenticated subject
     * @param idempotencyKey the caller's key (1 to 255 visible ASCII characters), or null for none
     * @return the execution and whether it was replayed
     * @throws EngineException as {@link #start(String, String, String)}, or IDEMPOTENCY_MISMATCH
     */
    public ExecutionLifecycle.Started start(String flowName, String inputJson, String owner, String idempotencyKey) {
        if (idempotencyKey == null) {
            return new ExecutionLifecycle.Started(start(flowName, inputJson, owner), false);
        }
        if (!IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT,
                    "an idempotency key is 1 to 255 visible ASCII characters");
        }
        ValidStart request = validate(flowName, inputJson);
        String hash = RequestHash.of(request.flow().name(), request.stateJson());
        try (WorkerPool.Reservation worker = engine.reserveWorker()) {
            ExecutionLifecycle.Started started = withQuotaRow(owner, () -> lifecycle.startOnce(request.flow(),
                    request.stateJson(), owner, idempotencyKey, hash, idempotencyTtl, worker.lease()));
            if (!started.replayed()) {
                components.metrics().started(request.flow().name());
                worker.handOff(started.execution(), null);
            }
            return started;
        } catch (EngineException e) {
            throw e;
        } catch (RuntimeException raced) {
            // A concurrent start with the same key committed first: ours was rolled back whole.
            ExecutionLifecycle.Started winner = lifecycle.replay(owner, idempotencyKey, hash, java.time.Instant.now());
            if (winner == null) {
                throw raced;
            }
            return winner;
        }
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
        return cancel(id, actor, expectedVersion, null);
    }

    /**
     * @param id              the execution
     * @param actor           who cancels
     * @param expectedVersion the version the caller saw (If-Match), or null
     * @param reason          why (recorded in the history), or null
     * @return the cancelled execution
     */
    public FlowExecution cancel(UUID id, String actor, Long expectedVersion, String reason) {
        return lifecycle.cancel(id, actor, expectedVersion, reason);
    }

    /**
     * @param requestId   the agent request
     * @param callerRoles the caller's agent roles
     * @param subject     the caller
     * @param answerJson  the answer object
     * @return the resumed execution's id
     * @throws EngineException as {@link AgentWaits#answer}; CONFLICT also when the execution's flow
     *                         version or asking step is no longer registered (it failed, committed)
     */
    public UUID answer(UUID requestId, Set<String> callerRoles, String subject, String answerJson) {
        try (WorkerPool.Reservation worker = engine.reserveWorker()) {
            AgentWaits.Answered answered = waits.answer(requestId, callerRoles, subject, answerJson, worker.lease());
            if (answered.failedAs() != null) {
                throw new EngineException(EngineException.Problem.CONFLICT, "the execution cannot resume in this "
                        + "build of its flow and has failed (" + answered.failedAs() + "); the answer was not recorded");
            }
            worker.handOff(answered.execution(), answered.request());
            return answered.execution().id();
        }
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
     * @param roles       the caller's agent roles
     * @param executionId only this execution's requests, or null for all
     * @param limit       the most to return
     * @return pending requests for those roles
     */
    public List<AgentRequest> inbox(Set<String> roles, UUID executionId, int limit) {
        return waits.inbox(roles, executionId, Math.max(1, Math.min(limit, 500)));
    }
}
