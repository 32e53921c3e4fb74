package io.flowguard.edge;

import io.flowguard.watch.ClientPresence;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Puts a {@link ClientConnection} check for a body-less request's connection in its context
 * ({@link ClientPresence#KEY}), where waiting reads and streams ask whether their client is gone;
 * and closes the connection after the answer when that check is still reading ahead.
 */
final class ClientConnectionFilter implements Filter {

    ClientConnectionFilter() {
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        ConnectionContext connection = ClientConnection.READ_ON_THIS_THREAD.get();
        ClientConnection.READ_ON_THIS_THREAD.remove();
        // With a body, the connection's reader still has bytes to read: no reading ahead then.
        if (connection != null && req.headers().contentLength().isEmpty()
                && !req.headers().contains(HeaderNames.TRANSFER_ENCODING)) {
            ClientConnection client = new ClientConnection(connection.dataReader());
            req.context().register(ClientPresence.KEY, client);
            chain.proceed();
            if (client.readingAhead()) {
                throw new CloseConnectionException("answered while reading ahead for a gone client; closing");
            }
            return;
        }
        chain.proceed();
    }
}
