package io.flowguard.json;

/**
 * JSON from outside that {@link StrictJson} does not take: malformed, over a limit, of the wrong
 * shape or breaking a constraint. The message names the field and the kind of problem, never a
 * Java class, so it may be shown to the caller as it is.
 */
public final class JsonRefused extends RuntimeException {

    private static final long serialVersionUID = 1L;

    JsonRefused(String message) {
        super(message, null, false, false);
    }
}
