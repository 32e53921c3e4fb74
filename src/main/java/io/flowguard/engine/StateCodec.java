package io.flowguard.engine;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowguard.json.JsonRefused;
import io.flowguard.json.StrictJson;

/**
 * Maps flow state, agent payloads and engine bookkeeping to and from JSON: {@link StrictJson} with
 * the state cap, its refusals as the engine's {@code invalid_input}.
 *
 * <p>Security: JSON carries no type information and is only ever read into a type chosen by the
 * registry (never by the data), so no polymorphic deserialization is possible.
 */
final class StateCodec {

    private final StrictJson json = new StrictJson();
    private final int maxStateBytes;

    /**
     * @param maxStateBytes the cap on serialized state
     */
    StateCodec(int maxStateBytes) {
        this.maxStateBytes = maxStateBytes;
    }

    /**
     * Reads a caller's input (a start's input, an agent's answer) into the type the registry names
     * for it and validates it.
     *
     * @throws EngineException INVALID_INPUT naming the field, or STATE_TOO_LARGE
     */
    Object readInput(String input, Class<?> type) {
        if (input.getBytes(StandardCharsets.UTF_8).length > maxStateBytes) {
            throw new EngineException(EngineException.Problem.STATE_TOO_LARGE,
                    "input is larger than the state limit of " + maxStateBytes + " bytes");
        }
        return refusedAsInvalid(() -> json.readInput(input, type));
    }

    /** Reads a caller's input already parsed strictly (by the REST API) and validates it. */
    Object readInput(JsonNode input, Class<?> type) {
        return refusedAsInvalid(() -> json.readInput(input, type));
    }

    /** Reads another service's reply into the type a step asks for; unknown fields are ignored. */
    <T> T readReply(String reply, Class<T> type) {
        return refusedAsInvalid(() -> json.readReply(reply, type));
    }

    /** @return an agent's answer (or other caller's JSON object) as maps, lists and scalars */
    Map<String, Object> readObject(String answer) {
        return refusedAsInvalid(() -> json.readObject(answer));
    }

    /** @throws EngineException INVALID_INPUT listing every violated constraint by field */
    void validate(Object state) {
        refusedAsInvalid(() -> {
            json.validate(state);
            return null;
        });
    }

    /**
     * @return the state's JSON
     * @throws EngineException STATE_TOO_LARGE when over the cap
     */
    String writeState(Object state) {
        String written = json.write(state);
        int bytes = written.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxStateBytes) {
            throw new EngineException(EngineException.Problem.STATE_TOO_LARGE,
                    "state is " + bytes + " bytes, over the limit of " + maxStateBytes);
        }
        return written;
    }

    /** @return a fresh state object read from stored state (a step may change it freely) */
    Object readState(String stored, Class<?> type) {
        return json.readStored(stored, type, "stored state");
    }

    /** @return stored bookkeeping */
    Progress readProgress(String stored) {
        return json.readStored(stored, Progress.class, "stored progress");
    }

    /** @return the JSON of any JSON-mappable value */
    String write(Object value) {
        return json.write(value);
    }

    private static <T> T refusedAsInvalid(Supplier<T> read) {
        try {
            return read.get();
        } catch (JsonRefused e) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, e.getMessage());
        }
    }
}
