package io.flowguard.api;

import java.util.HashSet;
import java.util.Set;

import io.flowguard.engine.EngineException;

/**
 * The conditional headers over execution versions (the ETag is the version), read in one place.
 * {@code If-Match} ({@link #expected}) names the one version a change expects. {@code If-None-Match}
 * ({@link #parse}, this record): absent (matches nothing), {@code *} (matches any version) or a
 * list of version ETags, strong or weak ({@code "3", W/"4"}). Anything else is refused with 400
 * rather than read as "no condition", so a client's typo does not turn its long poll into a busy
 * loop unnoticed.
 */
record VersionMatch(boolean any, Set<Long> versions) {

    private static final VersionMatch NONE = new VersionMatch(false, Set.of());

    static VersionMatch parse(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        if (header.strip().equals("*")) {
            return new VersionMatch(true, Set.of());
        }
        Set<Long> versions = new HashSet<>();
        for (String tag : header.split(",")) {
            String v = tag.strip();
            if (v.startsWith("W/")) {
                v = v.substring(2);
            }
            if (v.length() < 3 || v.length() > 21 || !v.startsWith("\"") || !v.endsWith("\"")) {
                throw invalid();
            }
            try {
                versions.add(Long.parseLong(v.substring(1, v.length() - 1)));
            } catch (NumberFormatException e) {
                throw invalid();
            }
        }
        return new VersionMatch(false, Set.copyOf(versions));
    }

    /**
     * @param ifMatch an {@code If-Match} header: one version ETag, quotes and {@code W/} optional
     * @return the version it names, or null without the header
     */
    static Long expected(String ifMatch) {
        if (ifMatch == null) {
            return null;
        }
        String v = ifMatch.strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new EngineException(EngineException.Problem.INVALID_INPUT, "If-Match must be a version ETag");
        }
    }

    boolean matches(long version) {
        return any || versions.contains(version);
    }

    private static EngineException invalid() {
        return new EngineException(EngineException.Problem.INVALID_INPUT,
                "If-None-Match must be * or version ETags such as \"3\"");
    }
}
