package io.flowguard.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import io.flowguard.engine.EngineException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Reads every query string strictly, before any resource binds a parameter: a parameter given
 * twice is 400 ({@code limit=1&limit=abc}, and {@code limit=1&limit=1} too), and so is a name or
 * value whose percent-escapes are malformed or do not decode to well-formed UTF-8.
 *
 * <p>Why: of two values JAX-RS binds the first and quietly drops the other, while a proxy, a
 * cache or a firewall in front may read the last, so two readers would act on different
 * requests; and a bad escape would otherwise reach a parameter as U+FFFD.
 */
@Provider
@Priority(Priorities.AUTHORIZATION + 20)
public class QueryStringFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        if (query == null || query.isEmpty()) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            decode(eq < 0 ? "" : pair.substring(eq + 1));
            if (!name.isEmpty() && !seen.add(name)) {
                throw new EngineException(EngineException.Problem.INVALID_INPUT,
                        "query parameter '" + shown(name) + "' is given more than once");
            }
        }
    }

    /** Percent-decodes one name or value ({@code +} is a space) and requires UTF-8. */
    static String decode(String raw) {
        byte[] bytes = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
                if (lo < 0) {
                    throw malformed();
                }
                bytes[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c > 0x7e || c < 0x21) {
                throw malformed(); // a URI carries only visible ASCII; Helidon lets no other through
            } else {
                bytes[n++] = (byte) (c == '+' ? ' ' : c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw malformed();
        }
    }

    private static String shown(String name) {
        String printable = name.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "...";
    }

    private static EngineException malformed() {
        return new EngineException(EngineException.Problem.INVALID_INPUT,
                "the query string has a malformed percent-escape or is not UTF-8");
    }
}
