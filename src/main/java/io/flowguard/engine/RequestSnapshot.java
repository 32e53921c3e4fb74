package io.flowguard.engine;

import java.time.Instant;
import java.util.UUID;

import io.flowguard.store.AgentRequest;

/**
 * A question a flow asked an agent role.
 *
 * @param id          the request
 * @param executionId the execution that asked
 * @param role        the agent role it is addressed to
 * @param step        the asking step
 * @param question    the question
 * @param payload     what the step sent along, as JSON, or null
 * @param deadline    when it times out
 * @param status      PENDING, ANSWERED, TIMED_OUT or CANCELLED
 * @param createdAt   when it was asked
 */
public record RequestSnapshot(UUID id, UUID executionId, String role, String step, String question, String payload,
                              Instant deadline, AgentRequest.Status status, Instant createdAt) {

    static RequestSnapshot of(AgentRequest r) {
        return new RequestSnapshot(r.id(), r.executionId(), r.role(), r.step(), r.question(), r.payload(),
                r.deadline(), r.status(), r.createdAt());
    }
}
