package io.flowguard.edge;

import java.util.Map;

import io.flowguard.http.Problems;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * The answer to a request the HTTP layer refuses before any routing (a malformed request line,
 * path or header, a header section over the limit, broken message framing): the same problem
 * shape and security headers as every other answer, with a fixed detail that names the kind of
 * fault and nothing of the parser's message (which may echo the request). A failure of the layer
 * before any of the request was read is the request's fault (400), never a 500.
 */
final class ProblemDirectHandler implements DirectHandler {

    private final EdgeSettings settings;

    ProblemDirectHandler(EdgeSettings settings) {
        this.settings = settings;
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, String message) {
        Status status = defaultStatus == null ? eventType.defaultStatus() : defaultStatus;
        if (status.code() >= 500 && request == TransportRequest.empty()) {
            // Nothing of the request could be read (e.g. a method with a control character makes
            // Helidon's prologue parser throw): the client's fault, and no 5xx without a token.
            status = Status.BAD_REQUEST_400;
        }
        TransportResponse.Builder response = TransportResponse.builder().status(status)
                .headers(responseHeaders == null ? ServerResponseHeaders.create() : responseHeaders);
        SecurityHeaders.each(settings, response::header);
        Map<String, Object> problem = Problems.forStatus(status.code());
        if (status.code() == 400) {
            problem = Problems.body(400, "bad-request", "Bad request",
                    "the request is not well-formed HTTP/1.1 (request line, headers or message framing)");
        }
        return response.header(HeaderNames.CONTENT_TYPE, Problems.PROBLEM_JSON.toString())
                .entity(RoutingProblems.write(problem))
                .build();
    }
}
