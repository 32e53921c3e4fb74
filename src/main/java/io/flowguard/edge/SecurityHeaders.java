package io.flowguard.edge;

import java.util.function.BiConsumer;

import io.helidon.http.HeaderName;
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
        each(settings, response::header);
    }

    /**
     * The same headers for an answer written outside routing (a refusal of the HTTP layer).
     *
     * @param settings the edge settings (for HSTS)
     * @param header   receives each header name and value
     */
    static void each(EdgeSettings settings, BiConsumer<HeaderName, String> header) {
        header.accept(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        header.accept(HeaderNames.create("X-Frame-Options"), "DENY");
        header.accept(HeaderNames.create("Content-Security-Policy"), "default-src 'none'; frame-ancestors 'none'");
        header.accept(HeaderNames.create("Referrer-Policy"), "no-referrer");
        header.accept(HeaderNames.CACHE_CONTROL, "no-store");
        settings.hsts().ifPresent(value -> header.accept(HeaderNames.STRICT_TRANSPORT_SECURITY, value));
    }
}
