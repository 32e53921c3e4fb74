package io.flowguard.api;

import io.flowguard.engine.EngineException;

/**
 * Query parameters read by hand rather than bound by JAX-RS: a bad number is then a 400 problem
 * naming the parameter (JAX-RS would answer a failed conversion with a bare 404).
 */
final class QueryParams {

    private QueryParams() {
    }

    /**
     * @param name     the parameter's name (for the message)
     * @param raw      its value, or null when absent
     * @param min      smallest allowed
     * @param max      largest allowed
     * @param fallback the value when absent
     * @return the value
     * @throws EngineException INVALID_INPUT when it is not a whole number in range
     */
    static int intIn(String name, String raw, int min, int max, int fallback) {
        if (raw == null) {
            return fallback;
        }
        if (raw.length() <= 10 && raw.matches("-?[0-9]+")) {
            long value = Long.parseLong(raw);
            if (value >= min && value <= max) {
                return (int) value;
            }
        }
        throw new EngineException(EngineException.Problem.INVALID_INPUT,
                name + " must be a whole number from " + min + " to " + max);
    }
}
