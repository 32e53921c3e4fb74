package io.flowguard.api;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import static jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE;

/**
 * Problem+json for errors Helidon's routing raises outside JAX-RS: chiefly the 404 of a path
 * nothing serves (Jersey hands unmatched paths back to the routing so that health can answer).
 * Registered as an error handler on the server's routing before the server starts.
 */
public class RoutingProblems implements Extension {

    private static final ObjectMapper JSON = new ObjectMapper();

    void register(@Observes @Priority(PLATFORM_BEFORE) @Initialized(ApplicationScoped.class) Object event,
                  BeanManager beans) {
        beans.getExtension(ServerCdiExtension.class).serverRoutingBuilder()
                .error(HttpException.class, RoutingProblems::handle);
    }

    private static void handle(ServerRequest request, ServerResponse response, HttpException error) {
        Status status = error.status();
        Map<String, Object> problem = Problems.forStatus(status.code());
        String body;
        try {
            body = JSON.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem map always serializes", e);
        }
        error.headers().forEach(response::header);
        response.status(status)
                .header(HeaderNames.CONTENT_TYPE, Problems.PROBLEM_JSON.toString())
                .send(body);
    }
}
