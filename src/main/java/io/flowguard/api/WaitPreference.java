package io.flowguard.api;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code wait} preference of RFC 7240 ({@code Prefer: wait=10}): how many seconds a client is
 * willing to wait for the answer. Like any preference it is optional to honour, so a malformed
 * or absent one means "do not wait", and a longer one than the server allows is cut to its
 * maximum; the answer says what was applied ({@code Preference-Applied: wait=N}).
 */
final class WaitPreference {

    static final String PREFER = "Prefer";
    static final String APPLIED = "Preference-Applied";

    private WaitPreference() {
    }

    /**
     * @param preferHeaders every {@code Prefer} header of the request (null: none)
     * @param max           the longest wait this server allows
     * @return the wait to apply, at most {@code max}; empty when none (or zero) was asked for
     */
    static Optional<Duration> of(List<String> preferHeaders, Duration max) {
        if (preferHeaders == null) {
            return Optional.empty();
        }
        for (String header : preferHeaders) {
            for (String preference : header.split(",")) {
                String token = preference.split(";", 2)[0].strip();
                int eq = token.indexOf('=');
                if (eq < 0 || !token.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("wait")) {
                    continue;
                }
                String value = token.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return Optional.empty();
                }
                long seconds = Long.parseLong(value);
                if (seconds == 0) {
                    return Optional.empty();
                }
                Duration asked = Duration.ofSeconds(seconds);
                return Optional.of(asked.compareTo(max) > 0 ? max : asked);
            }
        }
        return Optional.empty();
    }

    /** @return the {@code Preference-Applied} value for a wait */
    static String applied(Duration wait) {
        return "wait=" + wait.toSeconds();
    }
}
