package io.flowguard.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a start request (flow name and normalized input), to tell a replay from a conflicting reuse of a key. */
final class RequestHash {

    private RequestHash() {
    }

    static String of(String flow, String normalizedInput) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(flow.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(normalizedInput.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
