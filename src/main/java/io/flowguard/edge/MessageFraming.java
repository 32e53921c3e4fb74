package io.flowguard.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;

/**
 * Where a request's body ends, checked before anything reads it (RFC 9112 §6.1, §6.3): one
 * {@code Content-Length} of digits, or {@code Transfer-Encoding: chunked} alone, never both.
 *
 * <p>Security: a server and a proxy in front of it that disagree on where a body ends let an
 * attacker hide a second request in the first one's body (request smuggling). Helidon 4.2.0 would
 * read a body by {@code chunked} while a proxy honours the {@code Content-Length}, read no body at
 * all for {@code Transfer-Encoding: gzip}, and take the first of two lengths. So any such message
 * is refused, and the connection is closed after the refusal (keep-alive off): the bytes after it
 * are never read as a request.
 */
final class MessageFraming {

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    private MessageFraming() {
    }

    /**
     * @param headers the request's headers, as read off the wire
     * @throws RequestException 400 that closes the connection, when the framing is ambiguous
     */
    static void check(Headers headers) {
        List<String> lengths = values(headers, HeaderNames.CONTENT_LENGTH);
        List<String> codings = values(headers, HeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty() && !lengths.isEmpty()) {
            throw refused("Content-Length and Transfer-Encoding together");
        }
        if (!codings.isEmpty() && !(codings.size() == 1 && codings.getFirst().toLowerCase(Locale.ROOT).equals("chunked"))) {
            throw refused("a transfer coding other than chunked alone");
        }
        if (lengths.size() > 1 || lengths.stream().anyMatch(v -> !DIGITS.matcher(v).matches())) {
            throw refused("a Content-Length that is not one number");
        }
    }

    /**
     * The request target must be in origin form, a path from {@code /} (RFC 9112 §3.2.1); the
     * asterisk form ({@code OPTIONS *}) and targets such as {@code executions} or {@code ?a=1} serve
     * nothing here. Security: Helidon's security filter throws on them while it builds the
     * request's URI, which it answers as an internal error (a 500 without a token, not counted
     * by any limit); refused here, before routing, they are a 400 like any malformed request.
     *
     * @param prologue the request line, as read off the wire
     * @throws RequestException 400 that closes the connection
     */
    static void checkTarget(HttpPrologue prologue) {
        if (!prologue.uriPath().rawPath().startsWith("/")) {
            throw refused("a request target that is not a path");
        }
    }

    /** Every comma-separated element of every line of the header, trimmed. */
    private static List<String> values(Headers headers, HeaderName name) {
        List<String> values = new ArrayList<>();
        if (headers.contains(name)) {
            Header header = headers.get(name);
            for (String line : header.allValues()) {
                for (String element : line.split(",", -1)) {
                    values.add(element.strip());
                }
            }
        }
        return values;
    }

    private static RequestException refused(String what) {
        return RequestException.builder()
                .type(EventType.BAD_REQUEST)
                .status(Status.BAD_REQUEST_400)
                .setKeepAlive(false)
                .message("refused before routing: " + what)
                .safeMessage(true)
                .build();
    }
}
