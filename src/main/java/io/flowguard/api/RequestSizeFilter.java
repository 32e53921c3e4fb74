package io.flowguard.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;

import io.flowguard.http.Problems;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request body larger than its method's {@link BodyLimit} with 413, before
 * authentication, parsing or any database work: by {@code Content-Length} when sent, from the head
 * alone (it runs first, before anything looks for a body and so waits for its first byte), else
 * while the body streams in (chunked), never reading more than the limit.
 */
@Provider
@Priority(Priorities.AUTHENTICATION - 40)
public class RequestSizeFilter implements ContainerRequestFilter {

    @Context
    ResourceInfo resource;
    @Inject
    @ConfigProperty(name = "flowguard.state.max-bytes", defaultValue = "1048576")
    int maxStateBytes;

    @Override
    public void filter(ContainerRequestContext request) {
        long limit = limit(resource.getResourceMethod());
        int declared = request.getLength();
        if (declared > limit) {
            throw tooLarge(limit);
        }
        // not hasEntity(): it would wait for the body's first byte
        request.setEntityStream(new Bounded(request.getEntityStream(), limit));
    }

    private long limit(Method method) {
        BodyLimit limit = method == null ? null : method.getAnnotation(BodyLimit.class);
        if (limit == null) {
            return BodyLimit.DEFAULT;
        }
        return limit.value() + (limit.plusStateCap() ? maxStateBytes : 0);
    }

    static WebApplicationException tooLarge(long limit) {
        return new WebApplicationException(Problems.of(413, "payload-too-large", "Payload too large",
                "the body may be at most " + limit + " bytes here"));
    }

    /** Counts what is read and stops at the limit. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private long read;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, (int) Math.min(length, limit - read + 1));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(long n) {
            read += n;
            if (read > limit) {
                throw tooLarge(limit);
            }
        }
    }
}
