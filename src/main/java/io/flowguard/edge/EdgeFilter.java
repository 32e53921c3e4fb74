package io.flowguard.edge;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.UUID;
import java.util.regex.Pattern;

import io.flowguard.http.RequestKeys;
import io.flowguard.http.SecurityAudit;
import io.flowguard.logging.JsonLogFormatter;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.logging.common.HelidonMdc;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import jakarta.enterprise.inject.spi.CDI;

/**
 * The first thing every request meets, before routing, JAX-RS and authentication: gives it a
 * request id (echoed as {@code X-Request-Id}, and kept in the request context with the client
 * address for the rate limits and the audit log, see {@link ClientAddress}), puts the security
 * headers on the response, and applies CORS.
 *
 * <p>CORS: a request whose {@code Origin} is exactly one of the allowed origins gets
 * {@code Access-Control-Allow-Origin} with that origin ({@code Vary: Origin}); a preflight from it
 * is answered here with the allowed methods and headers. Any other origin, {@code null}
 * included, gets no CORS header at all, and its preflight a 403 problem.
 */
public final class EdgeFilter implements Filter {

    static final String ALLOWED_METHODS = "GET, POST, PUT, DELETE, OPTIONS";
    static final String ALLOWED_HEADERS =
            "Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match, Last-Event-ID, Prefer";
    /** Response headers a browser app may read besides the basic ones: what the API's contract uses. */
    static final String EXPOSED_HEADERS = "ETag, Location, Idempotency-Replayed, Preference-Applied, Retry-After";
    private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final EdgeSettings settings;
    private final ClientAddress clients;

    EdgeFilter(EdgeSettings settings) {
        this.settings = settings;
        this.clients = new ClientAddress(settings.trustedProxies());
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String requestId = req.headers().first(HeaderNames.create("X-Request-Id"))
                .filter(id -> CLIENT_REQUEST_ID.matcher(id).matches())
                .orElseGet(() -> UUID.randomUUID().toString());
        req.context().register(RequestKeys.REQUEST_ID, requestId);
        req.context().register(RequestKeys.CLIENT, clients.of(peer(req.remotePeer().address()),
                req.headers().values(HeaderNames.FORWARDED), req.headers().values(HeaderNames.X_FORWARDED_FOR)));
        res.header(HeaderNames.create("X-Request-Id"), requestId);
        SecurityHeaders.apply(res, settings);

        String origin = req.headers().first(HeaderNames.ORIGIN).orElse(null);
        boolean allowed = settings.allows(origin);
        boolean preflight = req.prologue().method() == Method.OPTIONS
                && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD) && origin != null;
        if (preflight) {
            if (!allowed) {
                CDI.current().select(SecurityAudit.class).get().record(SecurityAudit.Kind.FORBIDDEN,
                        "CORS preflight from an origin that is not allowed", null, "OPTIONS", req.path().path());
                res.status(Status.FORBIDDEN_403)
                        .header(HeaderNames.CONTENT_TYPE, "application/problem+json")
                        .send(RoutingProblems.json(403, "forbidden", "Forbidden", "this origin may not call the API"));
                return;
            }
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    .header(HeaderNames.VARY, "Origin")
                    .header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS)
                    .header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
                    .header(HeaderNames.ACCESS_CONTROL_MAX_AGE, "600")
                    .status(Status.NO_CONTENT_204)
                    .send();
            return;
        }
        if (allowed) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin).header(HeaderNames.VARY, "Origin")
                    .header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        }
        // Every log line written while serving this request carries its id (JsonLogFormatter).
        HelidonMdc.set(JsonLogFormatter.REQUEST_ID, requestId);
        try {
            chain.proceed();
        } finally {
            HelidonMdc.remove(JsonLogFormatter.REQUEST_ID);
        }
    }

    private static InetAddress peer(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    EdgeSettings settings() {
        return settings;
    }
}
