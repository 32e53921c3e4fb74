package io.flowguard.api;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.flowguard.http.SecurityAudit;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * The audit lines the service writes while a test listens ({@link #listen()} ... {@link #close()}),
 * parsed, so a test can count one request's events by its {@code X-Request-Id}; or, with
 * {@link #listen(String)}, the messages of another of the service's loggers.
 */
final class AuditLines extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    private AuditLines(Logger logger) {
        this.logger = logger;
    }

    /** @return a listener on the audit logger, until closed */
    static AuditLines listen() {
        return listen(SecurityAudit.LOGGER);
    }

    /** @return a listener on the named logger's messages, until closed */
    static AuditLines listen(String loggerName) {
        AuditLines audit = new AuditLines(Logger.getLogger(loggerName));
        audit.logger.addHandler(audit);
        return audit;
    }

    /** @return every message logged so far, in order (a copy) */
    List<String> all() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Forgets the messages logged so far. */
    void clear() {
        lines.clear();
    }

    /**
     * @param requestId the request's {@code X-Request-Id}
     * @param kind      the kind of event
     * @return the lines of that kind the request wrote
     */
    List<JsonObject> of(String requestId, SecurityAudit.Kind kind) {
        return all().stream().map(l -> Json.createReader(new StringReader(l)).readObject())
                .filter(o -> o.getString("event").equals(kind.label()))
                .filter(o -> requestId != null && requestId.equals(o.getString("requestId", null)))
                .toList();
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
