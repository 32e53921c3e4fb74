package io.flowguard.flow;

/**
 * A service's successful (2xx) answer to a call from a step.
 *
 * @param service the service's configured name
 * @param status  the HTTP status, 200 to 299
 * @param body     the reply body as text (empty when there was none)
 * @param attempts the requests it took (1 unless connection failures or timeouts were retried)
 */
public record ServiceReply(String service, int status, String body, int attempts) {
}
