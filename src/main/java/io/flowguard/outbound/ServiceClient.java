package io.flowguard.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.flowguard.flow.ServiceCallException;
import io.flowguard.flow.ServiceReply;
import io.helidon.faulttolerance.Bulkhead;
import io.helidon.faulttolerance.BulkheadException;
import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.faulttolerance.CircuitBreakerOpenException;
import io.helidon.faulttolerance.Retry;
import io.helidon.faulttolerance.RetryTimeoutException;
import io.helidon.faulttolerance.Timeout;
import io.helidon.faulttolerance.TimeoutException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

/**
 * Calls one configured service through its own fault-tolerance guards, in MicroProfile Fault
 * Tolerance's order: retry around circuit breaker around timeout around bulkhead around one
 * HTTP attempt. The guards are Helidon's fault-tolerance handlers (the engine of Helidon's
 * MicroProfile Fault Tolerance), one set per service: MP FT annotations give one breaker per
 * Java method and no exponential backoff, and a circuit per service is the point.
 *
 * <ul>
 *   <li>Retry: only {@link AttemptFailure.Unreachable} (connection refused, reset, closed) and
 *       timeouts; waits from {@link BackoffPolicy}.</li>
 *   <li>Circuit breaker: opens when {@code failure-ratio} percent of the last {@code volume}
 *       attempts failed; a 1xx/3xx/4xx answer and a full bulkhead are not the service's failure.
 *       While open, calls fail at once without reaching the service.</li>
 *   <li>Timeout: one attempt, from sending to the whole reply read.</li>
 *   <li>Bulkhead: at most {@code limit} calls in flight per instance, {@code queue} waiting.</li>
 * </ul>
 */
final class ServiceClient {

    private static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");

    private final ServiceSettings settings;
    private final WebClient web;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final Timeout timeout;
    private final Bulkhead bulkhead;

    ServiceClient(ServiceSettings settings) {
        this.settings = settings;
        this.web = WebClient.builder()
                .servicesDiscoverServices(false)
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.timeout())
                .followRedirects(false)
                .sendExpectContinue(false)
                .build();
        BackoffPolicy backoff = new BackoffPolicy(settings.attempts(), settings.retryDelay().toMillis(),
                settings.retryFactor(), settings.retryJitter());
        Duration attemptLimit = settings.connectTimeout().plus(settings.timeout());
        this.retry = Retry.builder()
                .name("service-" + settings.name() + "-retry")
                .retryPolicy(backoff)
                .addApplyOn(AttemptFailure.Unreachable.class)
                .addApplyOn(AttemptFailure.TimedOut.class)
                .addApplyOn(TimeoutException.class)
                // Helidon's default overall limit (1 s) would cut the backoff short: allow every attempt and wait.
                .overallTimeout(attemptLimit.multipliedBy(settings.attempts())
                        .plusMillis(backoff.worstCaseTotalMillis()).plusSeconds(1))
                .build();
        this.breaker = CircuitBreaker.builder()
                .name("service-" + settings.name() + "-breaker")
                .volume(settings.breakerVolume())
                .errorRatio(settings.breakerFailureRatio())
                .delay(settings.breakerDelay())
                .successThreshold(settings.breakerSuccessThreshold())
                .addSkipOn(AttemptFailure.ClientSideStatus.class)
                .addSkipOn(BulkheadException.class)
                .build();
        this.timeout = Timeout.builder()
                .name("service-" + settings.name() + "-timeout")
                .timeout(attemptLimit)
                .build();
        this.bulkhead = Bulkhead.builder()
                .name("service-" + settings.name() + "-bulkhead")
                .limit(settings.bulkheadLimit())
                .queueLength(settings.bulkheadQueue())
                .build();
    }

    /** @return the service's settings */
    ServiceSettings settings() {
        return settings;
    }

    /** @return the circuit breaker's state, for operators and tests */
    CircuitBreaker.State circuit() {
        return breaker.state();
    }

    /**
     * @param path           the path under the service's URL
     * @param json           the request body
     * @param idempotencyKey the key every attempt carries
     * @return the 2xx reply
     * @throws ServiceCallException when the call fails for good
     */
    ServiceReply post(String path, String json, String idempotencyKey) {
        URI target;
        try {
            target = ServicePaths.resolve(settings.url(), path);
        } catch (IllegalArgumentException bad) {
            throw new ServiceCallException(settings.name(), 0, 0, "service " + settings.name() + " not called: "
                    + bad.getMessage());
        }
        AtomicInteger attempts = new AtomicInteger();
        Supplier<ServiceReply> attempt = () -> attempt(target, json, idempotencyKey, attempts);
        try {
            return retry.invoke(() -> breaker.invoke(() -> timeout.invoke(() -> bulkhead.invoke(attempt))));
        } catch (RuntimeException failure) {
            throw failed(failure, attempts.get(), path);
        }
    }

    private ServiceReply attempt(URI target, String json, String idempotencyKey, AtomicInteger attempts) {
        attempts.incrementAndGet();
        var request = web.post().uri(target)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.ACCEPT, "application/json")
                .header(IDEMPOTENCY_KEY, idempotencyKey);
        settings.authToken().ifPresent(token -> request.header(HeaderNames.AUTHORIZATION, "Bearer " + token));
        try (HttpClientResponse response = request.submit(json)) {
            int status = response.status().code();
            if (status >= 500) {
                throw new AttemptFailure.ErrorStatus(status);
            }
            if (status < 200 || status >= 300) {
                throw new AttemptFailure.ClientSideStatus(status);
            }
            return new ServiceReply(settings.name(), status, body(response), attempts.get());
        } catch (AttemptFailure known) {
            throw known;
        } catch (RuntimeException thrown) {
            throw AttemptFailure.classify(thrown);
        }
    }

    private String body(HttpClientResponse response) {
        int limit = settings.maxReplyBytes();
        try (InputStream in = response.entity().inputStream()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new AttemptFailure.ReplyTooLarge(limit);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ServiceCallException failed(RuntimeException failure, int attempts, String path) {
        String service = "service " + settings.name();
        String tries = attempts + (attempts == 1 ? " attempt" : " attempts");
        return switch (failure) {
            case AttemptFailure.Unreachable u ->
                    new ServiceCallException(settings.name(), attempts, 0,
                            service + " unreachable after " + tries + " (" + u.getMessage() + ")");
            case AttemptFailure.TimedOut t ->
                    new ServiceCallException(settings.name(), attempts, 0,
                            service + " timed out after " + tries + " (" + t.getMessage() + ")");
            case RetryTimeoutException r ->
                    new ServiceCallException(settings.name(), attempts, 0,
                            service + " did not answer in time after " + tries);
            case TimeoutException t ->
                    new ServiceCallException(settings.name(), attempts, 0, service + " timed out after " + tries
                            + " (no reply within " + settings.connectTimeout().plus(settings.timeout()).toMillis()
                            + " ms)");
            case AttemptFailure.ErrorStatus s ->
                    new ServiceCallException(settings.name(), attempts, s.status(),
                            service + " answered " + s.status() + " to POST " + shown(path));
            case AttemptFailure.ReplyTooLarge r ->
                    new ServiceCallException(settings.name(), attempts, 0, service + " sent a " + r.getMessage());
            case CircuitBreakerOpenException c ->
                    new ServiceCallException(settings.name(), attempts, 0, service
                            + " unavailable: its circuit is open after repeated failures (" + tries + " made)");
            case BulkheadException b ->
                    new ServiceCallException(settings.name(), attempts, 0, service + " busy: "
                            + settings.bulkheadLimit() + " calls in flight and " + settings.bulkheadQueue() + " waiting");
            default -> new ServiceCallException(settings.name(), attempts, 0,
                    service + " call failed after " + tries + ": " + failure.getClass().getSimpleName());
        };
    }

    private static String shown(String path) {
        String withoutQuery = path.indexOf('?') < 0 ? path : path.substring(0, path.indexOf('?'));
        return withoutQuery.length() <= 200 ? withoutQuery : withoutQuery.substring(0, 200) + "...";
    }
}
