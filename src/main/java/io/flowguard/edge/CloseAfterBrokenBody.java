package io.flowguard.edge;

import io.flowguard.http.RequestKeys;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Closes the connection after the answer to a request whose chunked body turned out malformed
 * while the API read it (a chunk size that is not hex, negative or too large): the server no
 * longer knows where that body ends, so whatever follows on the connection must not be read as
 * the next request (request smuggling). The API marks such a request with {@link RequestKeys#BROKEN_BODY} when it
 * answers it 400.
 */
public final class CloseAfterBrokenBody implements Filter {

    CloseAfterBrokenBody() {
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        if (req.context().get(RequestKeys.BROKEN_BODY, Boolean.class).isPresent()) {
            throw new CloseConnectionException("the request body's framing is broken; closing after the 400");
        }
    }
}
