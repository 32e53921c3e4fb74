package io.flowguard.edge;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/**
 * The headers every response carries, errors and 404s included: no sniffing, no framing, no
 * content from anywhere (the API serves JSON, never pages), no referrer, no caching; HSTS when
 * configured.
 */
public final class SecurityHeaders {

    private SecurityHeaders() {
    }

    /**
     * @param response the response to add them to
     * @param settings the edge settings (for HSTS)
     */
    public static void apply(ServerResponse response, EdgeSettings settings) {
        response.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        response.header(HeaderNames.create("X-Frame-Options"), "DENY");
        response.header(HeaderNames.create("Content-Security-Policy"), "default-src 'none'; frame-ancestors 'none'");
        response.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        settings.hsts().ifPresent(value -> response.header(HeaderNames.STRICT_TRANSPORT_SECURITY, value));
    }
}
