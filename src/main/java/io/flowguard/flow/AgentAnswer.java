package io.flowguard.flow;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The answer a listener on an asking step receives: who answered, in which role, and the JSON
 * object they sent (as plain maps, lists, strings, numbers and booleans).
 *
 * @param role       the role the question was addressed to
 * @param answeredBy the authenticated subject that answered
 * @param payload    the answer's JSON object
 * @param answeredAt when the answer was accepted
 */
public record AgentAnswer(String role, String answeredBy, Map<String, Object> payload, Instant answeredAt) {

    /** Copies the payload so a step cannot change the recorded answer (JSON null values kept). */
    public AgentAnswer {
        Objects.requireNonNull(role);
        Objects.requireNonNull(answeredBy);
        payload = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(payload));
    }

    /**
     * @param key a field of the answer
     * @return true only when the field is the JSON value {@code true}
     */
    public boolean isTrue(String key) {
        return Boolean.TRUE.equals(payload.get(key));
    }

    /**
     * @param key a field of the answer
     * @return the field as text, or "" when absent
     */
    public String text(String key) {
        Object value = payload.get(key);
        return value == null ? "" : value.toString();
    }
}
