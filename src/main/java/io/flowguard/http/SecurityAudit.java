package io.flowguard.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.logging.Redaction;
import io.helidon.common.context.Contexts;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The audit trail of security events: one JSON line per event on the {@code flowguard.audit}
 * logger (request id, subject when known, client address, method, path, kind, reason) and a
 * counter per kind ({@code flowguard_security_events_total{kind=...}}). Never a token, a
 * secret or a request body.
 */
@ApplicationScoped
public class SecurityAudit {

    /** The kinds of security event. */
    public enum Kind {
        /** A request without a valid token. */
        AUTHENTICATION_FAILURE,
        /** A valid token without the role, another owner's execution, or a denied origin. */
        FORBIDDEN,
        /** Over the rate limit. */
        RATE_LIMITED,
        /** A request refused as malformed, too large or of the wrong type. */
        VALIDATION_REJECTED,
        /** A start naming a flow that is not registered. */
        UNKNOWN_FLOW,
        /** A token carrying an agent role that is not configured. */
        UNKNOWN_ROLE,
        /** An owner at the cap of active executions. */
        QUOTA_EXCEEDED,
        /** A subject at the cap of open streams. */
        STREAM_LIMIT;

        /** @return the name used in logs and metrics */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The audit logger's name: route it to its own file or collector in production. */
    public static final String LOGGER = "flowguard.audit";
    private static final Logger LOG = Logger.getLogger(LOGGER);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    MeterRegistry meters;

    /** Registers every kind's counter at startup, so a scrape shows zeros rather than nothing. */
    void atStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        for (Kind kind : Kind.values()) {
            meters.counter("flowguard.security.events", "kind", kind.label());
        }
    }

    /**
     * Records one event.
     *
     * @param kind    what happened
     * @param reason  why, in our words (never caller data beyond bounded, printable names)
     * @param subject the verified subject, or null when not known
     * @param method  the HTTP method
     * @param path    the request path
     */
    public void record(Kind kind, String reason, String subject, String method, String path) {
        meters.counter("flowguard.security.events", "kind", kind.label()).increment();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", kind.label());
        line.put("reason", bounded(reason, 300));
        line.put("requestId", bounded(contextValue(RequestKeys.REQUEST_ID), 64));
        line.put("subject", bounded(subject, 1024));
        line.put("client", contextValue(RequestKeys.CLIENT));
        line.put("method", bounded(method, 10));
        line.put("path", bounded(path, 300));
        try {
            LOG.info(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            LOG.warning("audit line not written: " + kind.label());
        }
    }

    /** @return how many events of this kind were recorded since start */
    public double count(Kind kind) {
        return meters.counter("flowguard.security.events", "kind", kind.label()).count();
    }

    private static String contextValue(String key) {
        return Contexts.context().flatMap(c -> c.get(key, String.class)).orElse(null);
    }

    /**
     * Redacts the value as plain text, before Jackson encodes the line (never over the encoded
     * line: that could eat the escape of a quote), makes it printable ASCII, and bounds it.
     */
    private static String bounded(String value, int max) {
        if (value == null) {
            return null;
        }
        String printable = Redaction.redact(value).replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= max ? printable : printable.substring(0, max) + "...";
    }
}
