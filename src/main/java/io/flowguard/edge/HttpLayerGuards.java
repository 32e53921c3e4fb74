package io.flowguard.edge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.helidon.http.DirectHandler.EventType;
import io.helidon.microprofile.server.ServerCdiExtension;
import io.helidon.microprofile.server.WebServerBuilderAccess;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.spi.ProtocolConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import org.eclipse.microprofile.config.ConfigProvider;

import static jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE;

/**
 * Puts the edge's guards on the HTTP/1.1 layer itself, before the server starts, where routing
 * filters cannot reach: refusals of the layer answered as problems with the security headers
 * ({@link ProblemDirectHandler}), ambiguous framing refused and the connection closed
 * ({@link MessageFraming}), a deadline for each request head ({@link RequestHeadDeadline}, and
 * Helidon's idle timeout set to the same time), and a connection whose chunked body turned out
 * malformed closed after its 400 ({@link CloseAfterBrokenBody}); and the check that tells a waiting
 * read or a stream its client is gone ({@link ClientConnectionFilter}).
 */
public class HttpLayerGuards implements Extension {

    private RequestHeadDeadline deadline;

    void register(@Observes @Priority(PLATFORM_BEFORE + 10) @Initialized(ApplicationScoped.class) Object event,
                  BeanManager beans) {
        org.eclipse.microprofile.config.Config config = ConfigProvider.getConfig();
        EdgeSettings edge = EdgeSettings.from(config);
        HttpLayerSettings settings = HttpLayerSettings.from(config);
        ServerCdiExtension server = beans.getExtension(ServerCdiExtension.class);
        WebServerConfig.Builder builder = WebServerBuilderAccess.of(server);

        DirectHandlers.Builder handlers = DirectHandlers.builder();
        ProblemDirectHandler problems = new ProblemDirectHandler(edge);
        for (EventType type : EventType.values()) {
            handlers.addHandler(type, problems);
        }
        builder.directHandlers(handlers.build());

        deadline = new RequestHeadDeadline(settings.headerSectionTimeout());
        builder.protocols(withReceiveListener(builder.protocols(), deadline));
        builder.idleConnectionTimeout(settings.requestLineTimeout())
                .idleConnectionPeriod(HttpLayerSettings.IDLE_TICK);

        server.serverRoutingBuilder().addFilter(new CloseAfterBrokenBody())
                .addFilter(new CloseWhenTheClientAsks())
                .addFilter(new ClientConnectionFilter());
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        if (deadline != null) {
            deadline.stop();
        }
    }

    /**
     * The configured HTTP/1.1 protocol (or the default one) with the listener as its only receive
     * listener: Helidon 4.2.0 drops the events of a listener list longer than one, and the receive
     * log listener it would add is a debugging aid (server.protocols.http_1_1.recv-log).
     */
    private static List<ProtocolConfig> withReceiveListener(List<ProtocolConfig> protocols, RequestHeadDeadline listener) {
        List<ProtocolConfig> result = new ArrayList<>();
        boolean http1 = false;
        for (ProtocolConfig protocol : protocols) {
            if (protocol instanceof Http1Config configured) {
                result.add(Http1Config.builder().from(configured).receiveListeners(List.of(listener)).build());
                http1 = true;
            } else {
                result.add(protocol);
            }
        }
        if (!http1) {
            result.add(Http1Config.builder().addReceiveListener(listener).build());
        }
        return result;
    }
}
