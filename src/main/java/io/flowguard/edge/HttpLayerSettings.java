package io.flowguard.edge;

import java.time.Duration;

import org.eclipse.microprofile.config.Config;

/**
 * What the HTTP/1.1 layer allows a connection before a request reaches routing.
 *
 * @param requestHeadTimeout how long a client may take to send a request's head: its request line
 *                           once the connection waits for one, and its header section after that
 */
public record HttpLayerSettings(Duration requestHeadTimeout) {

    static final String REQUEST_HEAD_TIMEOUT = "flowguard.http.request-head-timeout";

    /**
     * @param config the application configuration
     * @return the settings
     * @throws IllegalStateException when the timeout is under two seconds (Helidon's idle clock
     *                               ticks once a second, so a request line may be cut up to a second
     *                               early) or over five minutes
     */
    public static HttpLayerSettings from(Config config) {
        Duration timeout = config.getOptionalValue(REQUEST_HEAD_TIMEOUT, Duration.class).orElse(Duration.ofSeconds(10));
        if (timeout.compareTo(Duration.ofSeconds(2)) < 0 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalStateException(REQUEST_HEAD_TIMEOUT + " must be between PT2S and PT5M, was " + timeout);
        }
        return new HttpLayerSettings(timeout);
    }
}
