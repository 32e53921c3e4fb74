package io.flowguard.edge;

import java.time.Duration;

import org.eclipse.microprofile.config.Config;

/**
 * What the HTTP/1.1 layer allows a connection before a request reaches routing.
 *
 * @param requestHeadTimeout how long a client may take to send a whole request head, request line
 *                           and header section, once the connection waits for one
 */
public record HttpLayerSettings(Duration requestHeadTimeout) {

    /** Helidon checks idle connections once a second, on a clock of whole seconds. */
    static final Duration IDLE_TICK = Duration.ofSeconds(1);

    static final String REQUEST_HEAD_TIMEOUT = "flowguard.http.request-head-timeout";

    /**
     * @param config the application configuration
     * @return the settings
     * @throws IllegalStateException when the timeout is under four seconds (the request line gets
     *                               half, at least two ticks of Helidon's idle clock, and the header
     *                               section at least one second) or over five minutes
     */
    public static HttpLayerSettings from(Config config) {
        Duration timeout = config.getOptionalValue(REQUEST_HEAD_TIMEOUT, Duration.class).orElse(Duration.ofSeconds(10));
        if (timeout.compareTo(Duration.ofSeconds(4)) < 0 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalStateException(REQUEST_HEAD_TIMEOUT + " must be between PT4S and PT5M, was " + timeout);
        }
        return new HttpLayerSettings(timeout);
    }

    /**
     * @return how long the connection may wait for a request line: half the head's time (Helidon's
     *         idle timeout, which may act up to one tick late)
     */
    public Duration requestLineTimeout() {
        return requestHeadTimeout.dividedBy(2);
    }

    /**
     * @return how long the header section may take after the request line: what the request line
     *         left of the head's time, less the idle clock's tick, so the whole head never takes
     *         longer than {@link #requestHeadTimeout()}
     */
    public Duration headerSectionTimeout() {
        return requestHeadTimeout.minus(requestLineTimeout()).minus(IDLE_TICK);
    }
}
