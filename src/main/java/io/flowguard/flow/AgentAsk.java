package io.flowguard.flow;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a step returns to park its execution until an agent role answers: the role, a question,
 * a JSON-mappable payload, and optionally how long to wait (the engine applies its default when
 * absent and caps it at the operator's maximum whatever the flow asks).
 *
 * @param role     the agent role asked (declared with {@link AsksAgent})
 * @param question the question, at most 2,000 characters
 * @param payload  data for the agent, mapped to JSON (may be null)
 * @param timeout  how long to wait, if the flow wants other than the default
 */
public record AgentAsk(String role, String question, Object payload, Optional<Duration> timeout) {

    /** Validates the parts every ask needs. */
    public AgentAsk {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(timeout, "timeout");
        timeout.ifPresent(t -> {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("an agent wait must be positive");
            }
        });
    }

    /**
     * @param role     the agent role
     * @param question the question
     * @param payload  data for the agent
     * @return an ask with the default wait
     */
    public static AgentAsk to(String role, String question, Object payload) {
        return new AgentAsk(role, question, payload, Optional.empty());
    }

    /**
     * @param wait how long to wait for the answer (capped by the engine)
     * @return this ask with that wait
     */
    public AgentAsk within(Duration wait) {
        return new AgentAsk(role, question, payload, Optional.of(wait));
    }
}
