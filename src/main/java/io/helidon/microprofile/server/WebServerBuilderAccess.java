package io.helidon.microprofile.server;

import io.helidon.webserver.WebServerConfig;

/**
 * The one door to the web server's own builder under Helidon MP 4.2.0, where
 * {@code ServerCdiExtension.serverBuilder()} is package-private (helidon-io/helidon#7939): what the
 * HTTP/1.1 layer does before routing (its direct handlers for refused requests, its receive
 * listeners, its idle timeout) can only be set there. Compiled against the method, so an upgrade
 * that moves it fails the build, not the running service.
 */
public final class WebServerBuilderAccess {

    private WebServerBuilderAccess() {
    }

    /**
     * @param server the MP server extension, before the server starts
     * @return the builder the server will be built from
     */
    public static WebServerConfig.Builder of(ServerCdiExtension server) {
        return server.serverBuilder();
    }
}
