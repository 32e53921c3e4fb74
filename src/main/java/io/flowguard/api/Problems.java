package io.flowguard.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * RFC 9457 problem details: every error the API returns is one of these, with a stable
 * {@code type} URI per kind of problem and a detail that is safe to show (no stack trace, SQL,
 * class name or path).
 */
public final class Problems {

    /** The media type of every error body. */
    public static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json");
    /** Prefix of every problem type. */
    public static final String TYPE_PREFIX = "urn:flowguard:problem:";

    private Problems() {
    }

    /**
     * @param status HTTP status
     * @param slug   the stable problem kind, e.g. {@code invalid-input}
     * @param title  a short, fixed summary of the kind
     * @param detail what went wrong this time (safe to show)
     * @return the response
     */
    public static Response of(int status, String slug, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + slug);
        body.put("title", title);
        body.put("status", status);
        if (detail != null && !detail.isBlank()) {
            body.put("detail", detail);
        }
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }
}
