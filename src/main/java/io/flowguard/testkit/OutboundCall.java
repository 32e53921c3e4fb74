package io.flowguard.testkit;

import io.flowguard.json.StrictJson;

/**
 * One call a step made to an outbound service in a test, as the service would have received it.
 *
 * @param service        the service's name, as the flow declares it
 * @param path           the path the step posted to
 * @param body           the request body, as JSON
 * @param idempotencyKey the {@code Idempotency-Key} the call carried (the same on every run of the same step)
 * @param number         which call to this service it was in this kit: 1, 2, ...
 */
public record OutboundCall(String service, String path, String body, String idempotencyKey, int number) {

    private static final StrictJson JSON = new StrictJson();

    /**
     * @param type what to read the body as (fields it does not have are ignored)
     * @param <T>  that type
     * @return the body as {@code type}
     * @throws IllegalArgumentException when the body does not read as {@code type}, or breaks its constraints
     */
    public <T> T body(Class<T> type) {
        try {
            return JSON.readReply(body, type);
        } catch (RuntimeException unreadable) {
            throw new IllegalArgumentException("the body of call " + number + " to " + service + " " + path
                    + " does not read as " + type.getSimpleName() + ": " + unreadable.getMessage() + "; it was "
                    + body, unreadable);
        }
    }
}
