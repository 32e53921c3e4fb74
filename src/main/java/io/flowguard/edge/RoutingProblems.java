package io.flowguard.edge;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.http.Problems;
import io.flowguard.http.RequestKeys;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.microprofile.server.ServerCdiExtension;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import org.eclipse.microprofile.config.ConfigProvider;

import static jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE;

/**
 * Puts the edge on the server's routing before it starts: {@link EdgeFilter} in front of every
 * request, and problem+json (with the security headers, which the error path clears) for errors
 * Helidon's routing raises outside JAX-RS, chiefly the 404 of a path nothing serves (Jersey
 * hands unmatched paths back to the routing so that health can answer).
 */
public class RoutingProblems implements Extension {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EdgeSettings settings;

    void register(@Observes @Priority(PLATFORM_BEFORE) @Initialized(ApplicationScoped.class) Object event,
                  BeanManager beans) {
        settings = EdgeSettings.from(ConfigProvider.getConfig());
        beans.getExtension(ServerCdiExtension.class).serverRoutingBuilder()
                .addFilter(new EdgeFilter(settings))
                .error(HttpException.class, this::handle);
    }

    private void handle(ServerRequest request, ServerResponse response, HttpException error) {
        Status status = error.status();
        error.headers().forEach(response::header);
        SecurityHeaders.apply(response, settings);
        request.context().get(RequestKeys.REQUEST_ID, String.class)
                .ifPresent(id -> response.header(HeaderNames.create("X-Request-Id"), id));
        Map<String, Object> problem = Problems.forStatus(status.code());
        response.status(status)
                .header(HeaderNames.CONTENT_TYPE, Problems.PROBLEM_JSON.toString())
                .send(write(problem));
    }

    static String json(int status, String slug, String title, String detail) {
        return write(Problems.body(status, slug, title, detail));
    }

    static String write(Map<String, Object> problem) {
        try {
            return JSON.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem map always serializes", e);
        }
    }
}
