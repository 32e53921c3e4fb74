package io.flowguard.api;

import io.flowguard.engine.EngineException;
import io.flowguard.json.JsonRefused;
import io.flowguard.json.StrictJson;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The REST API's JSON: request bodies read strictly ({@link StrictJson}; a refusal is the same
 * {@code invalid-input} problem the engine's refusals give), stored JSON read back for responses.
 */
@ApplicationScoped
public class ApiJson {

    private final StrictJson json = new StrictJson();

    /**
     * @param body a request body ("" when there is none)
     * @param type the request type (never a name from the data)
     * @param <T>  that type
     * @return the request, validated
     * @throws EngineException INVALID_INPUT naming the field
     */
    <T> T readRequest(String body, Class<T> type) {
        try {
            return json.readRequest(body, type);
        } catch (JsonRefused e) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, e.getMessage());
        }
    }

    /** @return JSON the engine stored (a state, an ask's payload) as maps, lists and scalars */
    Object readStored(String stored) {
        return json.readStored(stored, Object.class, "stored JSON");
    }

    /** @return the JSON of a response value */
    String write(Object value) {
        return json.write(value);
    }
}
