package io.flowguard.edge;

import java.util.Locale;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Closes the connection after the answer to a request that asked for it with
 * {@code Connection: close} (RFC 9112 §9.6: the server must then close after its final
 * response). Helidon 4.2.0 answers {@code Connection: close} but keeps the socket open until its
 * idle timeout and serves what the client sends next on it.
 */
final class CloseWhenTheClientAsks implements Filter {

    CloseWhenTheClientAsks() {
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        if (asksToClose(req)) {
            throw new CloseConnectionException("the client sent Connection: close; closing after the answer");
        }
    }

    private static boolean asksToClose(RoutingRequest req) {
        if (!req.headers().contains(HeaderNames.CONNECTION)) {
            return false;
        }
        for (String line : req.headers().get(HeaderNames.CONNECTION).allValues()) {
            for (String option : line.split(",", -1)) {
                if (option.strip().toLowerCase(Locale.ROOT).equals("close")) {
                    return true;
                }
            }
        }
        return false;
    }
}
