package io.flowguard.outbound;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Puts a step's path under a service's configured URL so that nothing a step passes (the path
 * may be built from state) can send the call anywhere else: no scheme, host, user info,
 * dot-segments (plain or percent-encoded), backslashes, fragments or control characters.
 */
final class ServicePaths {

    /** RFC 3986 path and query characters, with percent-escapes checked separately. */
    private static final Pattern ALLOWED = Pattern.compile("/[A-Za-z0-9\\-._~!$&'()*+,;=:@/%?]*");
    private static final Pattern BAD_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})|%2[eEfF]|%5[cC]|%00");
    private static final int MAX_LENGTH = 2048;

    private ServicePaths() {
    }

    /**
     * @param base the service's base URL (no trailing slash)
     * @param path the step's path, starting with {@code /}
     * @return the full URI, on the base's scheme, host and port
     * @throws IllegalArgumentException saying what is wrong with the path (without echoing it)
     */
    static URI resolve(URI base, String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            throw new IllegalArgumentException("the path must start with /");
        }
        if (path.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the path is longer than " + MAX_LENGTH + " characters");
        }
        if (path.startsWith("//") || !ALLOWED.matcher(path).matches() || BAD_ESCAPE.matcher(path).find()) {
            throw new IllegalArgumentException("the path has characters or escapes a service path cannot have");
        }
        String pathOnly = path.indexOf('?') < 0 ? path : path.substring(0, path.indexOf('?'));
        for (String segment : pathOnly.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("the path must not have . or .. segments");
            }
        }
        URI target = URI.create(base.toString() + path);
        if (!base.getScheme().equals(target.getScheme()) || !base.getRawAuthority().equals(target.getRawAuthority())) {
            throw new IllegalArgumentException("the path would leave the service's host");
        }
        return target;
    }
}
