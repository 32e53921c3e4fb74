package io.flowguard.outbound;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.flowguard.config.Secrets;
import org.eclipse.microprofile.config.Config;

/**
 * One outbound service's address and guards, read from {@code flowguard.services.<name>.*}.
 * Every value is checked here, naming its key, so a bad setting stops startup rather than a flow.
 *
 * @param name                   the service's name, as flows declare it
 * @param url                    the base URL every call goes under (http or https, no credentials, query or fragment)
 * @param connectTimeout         the limit on opening a connection
 * @param timeout                the limit on one attempt, from sending to the whole reply read
 * @param maxRetries             retries after the first attempt on connection failures and timeouts
 * @param retryDelay             the wait before the first retry; each further one is {@code retryFactor} times longer
 * @param retryFactor            the growth of each further wait (1 or more)
 * @param retryJitter            a random extra of up to this fraction of each wait (0 to 1)
 * @param breakerVolume          the attempts the circuit breaker looks back on
 * @param breakerFailureRatio    the percentage of failed attempts among them that opens it
 * @param breakerDelay           how long it stays open before letting one trial call through
 * @param breakerSuccessThreshold trial calls that must succeed to close it again
 * @param bulkheadLimit          calls to this service in flight at once, per instance
 * @param bulkheadQueue          calls that may wait for a free slot; more fail at once
 * @param maxReplyBytes          the largest reply body read; a larger one fails the call
 * @param authToken              a bearer token sent as {@code Authorization}, if configured
 */
public record ServiceSettings(String name, URI url, Duration connectTimeout, Duration timeout, int maxRetries,
                              Duration retryDelay, double retryFactor, double retryJitter, int breakerVolume,
                              int breakerFailureRatio, Duration breakerDelay, int breakerSuccessThreshold,
                              int bulkheadLimit, int bulkheadQueue, int maxReplyBytes, Optional<String> authToken) {

    /** The configuration prefix of every service. */
    public static final String PREFIX = "flowguard.services.";

    /** Rejects settings outside their safe ranges, naming the key. */
    public ServiceSettings {
        String p = PREFIX + name + ".";
        require(positive(connectTimeout), p + "connect-timeout must be positive");
        require(positive(timeout), p + "timeout must be positive");
        require(maxRetries >= 0 && maxRetries <= 10, p + "retry.max-retries must be 0..10");
        require(positive(retryDelay), p + "retry.delay must be positive");
        require(retryFactor >= 1.0 && retryFactor <= 10.0, p + "retry.factor must be 1..10");
        require(retryJitter >= 0.0 && retryJitter <= 1.0, p + "retry.jitter must be 0..1");
        require(breakerVolume >= 1 && breakerVolume <= 1000, p + "circuit-breaker.volume must be 1..1000");
        require(breakerFailureRatio >= 1 && breakerFailureRatio <= 100,
                p + "circuit-breaker.failure-ratio must be 1..100 (percent)");
        require(positive(breakerDelay), p + "circuit-breaker.delay must be positive");
        require(breakerSuccessThreshold >= 1, p + "circuit-breaker.success-threshold must be 1 or more");
        require(bulkheadLimit >= 1 && bulkheadLimit <= 1000, p + "bulkhead.limit must be 1..1000");
        require(bulkheadQueue >= 0 && bulkheadQueue <= 10_000, p + "bulkhead.queue must be 0..10000");
        require(maxReplyBytes >= 1 && maxReplyBytes <= 16 * 1024 * 1024, p + "max-reply-bytes must be 1..16777216");
    }

    /**
     * @param config the application configuration
     * @param name   the service's name
     * @return its settings, with the documented defaults
     * @throws IllegalArgumentException naming the key when the URL is missing or a value is out of range
     */
    public static ServiceSettings from(Config config, String name) {
        String p = PREFIX + name + ".";
        String url = config.getOptionalValue(p + "url", String.class)
                .orElseThrow(() -> new IllegalArgumentException(p + "url is not set"));
        return new ServiceSettings(name, baseUrl(p + "url", url),
                config.getOptionalValue(p + "connect-timeout", Duration.class).orElse(Duration.ofSeconds(2)),
                config.getOptionalValue(p + "timeout", Duration.class).orElse(Duration.ofSeconds(5)),
                config.getOptionalValue(p + "retry.max-retries", Integer.class).orElse(2),
                config.getOptionalValue(p + "retry.delay", Duration.class).orElse(Duration.ofMillis(500)),
                config.getOptionalValue(p + "retry.factor", Double.class).orElse(2.0),
                config.getOptionalValue(p + "retry.jitter", Double.class).orElse(0.2),
                config.getOptionalValue(p + "circuit-breaker.volume", Integer.class).orElse(10),
                config.getOptionalValue(p + "circuit-breaker.failure-ratio", Integer.class).orElse(50),
                config.getOptionalValue(p + "circuit-breaker.delay", Duration.class).orElse(Duration.ofSeconds(10)),
                config.getOptionalValue(p + "circuit-breaker.success-threshold", Integer.class).orElse(1),
                config.getOptionalValue(p + "bulkhead.limit", Integer.class).orElse(10),
                config.getOptionalValue(p + "bulkhead.queue", Integer.class).orElse(20),
                config.getOptionalValue(p + "max-reply-bytes", Integer.class).orElse(1_048_576),
                Secrets.read(config, p + "auth-token"));
    }

    /** @return attempts in all: the first plus the retries */
    public int attempts() {
        return maxRetries + 1;
    }

    private static URI baseUrl(String key, String value) {
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(key + " is not a URL");
        }
        require("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()), key + " must be an http or https URL");
        require(uri.getHost() != null, key + " must name a host");
        require(uri.getRawUserInfo() == null,
                key + " must not hold credentials (use the service's auth-token or auth-token-file)");
        require(uri.getRawQuery() == null && uri.getRawFragment() == null, key + " must not have a query or fragment");
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + (path.endsWith("/")
                ? path.substring(0, path.length() - 1) : path));
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public String toString() {
        // never the token
        return "ServiceSettings[" + name + " " + url + ", " + attempts() + " attempts, timeout " + timeout + "]";
    }
}
