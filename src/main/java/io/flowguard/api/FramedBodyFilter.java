package io.flowguard.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import io.flowguard.http.Problems;
import io.flowguard.http.RequestKeys;
import io.helidon.common.buffers.DataReader.IncorrectNewLineException;
import io.helidon.common.context.Contexts;
import io.helidon.http.RequestException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Turns a request body whose chunked framing breaks while it is read (Helidon's reader throws a
 * {@link NumberFormatException} for a chunk size that is not hex, negative or too large, a
 * {@link RequestException} for a bad last chunk, an {@link IncorrectNewLineException} for a chunk
 * line ended by LF alone) into a 400 {@code bad-request} with
 * {@code Connection: close}, instead of an internal error, and marks the request so that the
 * connection is closed after the answer ({@code edge.CloseAfterBrokenBody}).
 */
@Provider
@Priority(Priorities.AUTHENTICATION - 30)
public class FramedBodyFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        boolean hasEntity;
        try {
            hasEntity = request.hasEntity(); // reads ahead: the first chunk size is parsed here
        } catch (IllegalArgumentException | RequestException | IncorrectNewLineException e) {
            throw broken();
        }
        if (hasEntity) {
            request.setEntityStream(new Framed(request.getEntityStream()));
        }
    }

    private static WebApplicationException broken() {
        Contexts.context().ifPresent(context -> context.register(RequestKeys.BROKEN_BODY, Boolean.TRUE));
        return new WebApplicationException(Response.fromResponse(Problems.of(400, "bad-request", "Bad request",
                "the request body's chunked framing is malformed")).header("Connection", "close").build());
    }

    /** Reads through, and reports a framing failure of the server's reader as a broken body. */
    private static final class Framed extends FilterInputStream {

        Framed(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IllegalArgumentException | RequestException | IncorrectNewLineException e) {
                throw broken();
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (IllegalArgumentException | RequestException | IncorrectNewLineException e) {
                throw broken();
            }
        }
    }
}
