package io.flowguard.http;

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
        return Response.status(status).type(PROBLEM_JSON).entity(body(status, slug, title, detail)).build();
    }

    /**
     * The problem for an error the framework raised with nothing but a status (authentication,
     * role checks, routing, content negotiation).
     *
     * @param status the HTTP status
     * @return the problem body
     */
    public static Map<String, Object> forStatus(int status) {
        return switch (status) {
            case 400 -> body(400, "bad-request", "Bad request", null);
            case 401 -> body(401, "unauthenticated", "Authentication required",
                    "send a valid bearer token in the Authorization header");
            case 403 -> body(403, "forbidden", "Forbidden", "the token lacks the role this needs");
            case 404 -> body(404, "not-found", "Not found", null);
            case 405 -> body(405, "method-not-allowed", "Method not allowed", null);
            case 406 -> body(406, "not-acceptable", "Not acceptable", "this API produces application/json");
            case 413 -> body(413, "payload-too-large", "Payload too large", null);
            case 415 -> body(415, "unsupported-media-type", "Unsupported media type", "send application/json");
            case 429 -> body(429, "rate-limited", "Too many requests", null);
            default -> status >= 500
                    ? body(status, "internal-error", "Internal error", null)
                    : body(status, "bad-request", "Bad request", null);
        };
    }

    /** @return the problem fields, in the order RFC 9457 lists them */
    public static Map<String, Object> body(int status, String slug, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + slug);
        body.put("title", title);
        body.put("status", status);
        if (detail != null && !detail.isBlank()) {
            body.put("detail", detail);
        }
        return body;
    }
}
