package io.flowguard.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.flowguard.engine.EngineException;
import io.flowguard.http.Problems;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * Reads a JSON request body strictly before its resource method sees it: the body must be
 * declared {@code application/json} (with {@code charset=utf-8} or no charset) or it is 415, and
 * its bytes must be well-formed UTF-8 or it is 400. Applies to every method that
 * {@code @Consumes(application/json)} and gets a body; runs after authentication and the
 * subject's rate limit, so an unauthenticated body is never read.
 *
 * <p>Why: JAX-RS matches a body without {@code Content-Type}, or with {@code *}{@code /*}, to any
 * consumer, and decodes bytes that are not UTF-8 by putting U+FFFD in their place; either way the
 * service would store text the caller never sent. The body is at most its {@link BodyLimit}
 * (the stream {@link RequestSizeFilter} bounds refuses more), so holding it here is bounded too.
 */
@Provider
@Priority(Priorities.AUTHORIZATION + 20)
public class JsonBodyFilter implements ContainerRequestFilter {

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!consumesJson(resource.getResourceMethod()) || !request.hasEntity()) {
            return;
        }
        requireJson(request.getHeaders().get(HttpHeaders.CONTENT_TYPE));
        byte[] body;
        try {
            body = request.getEntityStream().readAllBytes();
        } catch (IOException e) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, "the body could not be read");
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, "the body is not well-formed UTF-8");
        }
        request.setEntityStream(new ByteArrayInputStream(body));
    }

    private static boolean consumesJson(Method method) {
        Consumes consumes = method == null ? null : method.getAnnotation(Consumes.class);
        return consumes != null && Arrays.asList(consumes.value()).contains(MediaType.APPLICATION_JSON);
    }

    /** One Content-Type, exactly application/json, no parameter but a UTF-8 charset. */
    private static void requireJson(List<String> declared) {
        if (declared == null || declared.size() != 1) {
            throw unsupported();
        }
        MediaType type;
        try {
            type = MediaType.valueOf(declared.get(0));
        } catch (IllegalArgumentException malformed) {
            throw unsupported();
        }
        if (!"application".equalsIgnoreCase(type.getType()) || !"json".equalsIgnoreCase(type.getSubtype())) {
            throw unsupported();
        }
        for (Map.Entry<String, String> parameter : type.getParameters().entrySet()) {
            if (!"charset".equalsIgnoreCase(parameter.getKey()) || !"utf-8".equalsIgnoreCase(parameter.getValue())) {
                throw unsupported();
            }
        }
    }

    private static WebApplicationException unsupported() {
        return new WebApplicationException(Problems.of(415, "unsupported-media-type", "Unsupported media type",
                "send the body as Content-Type: application/json (UTF-8)"));
    }
}
