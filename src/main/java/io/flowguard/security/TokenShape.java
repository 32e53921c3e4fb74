package io.flowguard.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON shape a bearer token must have before anything reads it, signature or not: a compact
 * JWS of three base64url parts whose header and payload are each one JSON object with unique
 * names (a second {@code sub} or {@code groups} could otherwise mean one thing here and another
 * to the verifier), whose header holds only the parameters understood here, and whose registered
 * claims have their JSON types, times included (integers from 0 to the year 9999).
 *
 * <p>Why before: the JWT parser of MicroProfile JWT casts claims to the type it expects, so a
 * string {@code exp} or an object {@code groups} threw a {@code ClassCastException}, a 500 for
 * anyone with any key. Checked here, every such token is a 401 like any other bad token, audited
 * and counted against its address.
 *
 * <p>The header may carry {@code alg} (RS256 or ES256), {@code typ} ({@code JWT} or
 * {@code at+jwt}), {@code kid}, {@code x5t} and {@code x5t#S256}, nothing else: keys are never
 * taken from a token ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}), nested or encrypted
 * tokens are not accepted ({@code cty}, {@code enc}, {@code zip}), and since no extension is
 * understood, a token with {@code crit} is refused as RFC 7515 §4.1.11 requires.
 *
 * <p>This is the one parse of a token that Flowguard itself makes: {@link #read} hands the times
 * it found to {@link TokenPolicy}'s rules, so nothing reads the compact string again before
 * MicroProfile JWT parses it to verify the signature.
 */
public final class TokenShape {

    /** The longest subject, in characters (code points), stored whole in every owner column. */
    public static final int MAX_SUBJECT_CHARACTERS = 1024;
    /**
     * The longest subject in UTF-8 bytes: what a PostgreSQL index entry (at most 2,704 bytes)
     * holds beside an idempotency key of 255.
     */
    public static final int MAX_SUBJECT_BYTES = 2048;
    /** The longest registered string claim or header value other than a subject. */
    static final int MAX_VALUE_CHARACTERS = 1024;
    /** The latest time a token may name: 9999-12-31T23:59:59Z, in seconds since the epoch. */
    static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");
    /** An unsigned token's signature is empty; it is refused for its algorithm, which says more. */
    private static final Pattern SIGNATURE = Pattern.compile("[A-Za-z0-9_-]*");
    private static final Set<String> HEADER_NAMES = Set.of("alg", "typ", "kid", "x5t", "x5t#S256");
    private static final Set<String> TYPES = Set.of("jwt", "at+jwt", "application/jwt", "application/at+jwt");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The JSON type each registered claim must have, where a token carries it. */
    private static final Map<String, Predicate<JsonNode>> CLAIMS = Map.ofEntries(
            Map.entry("iss", TokenShape::boundedString),
            Map.entry("aud", n -> boundedString(n) || nonEmptyArrayOf(n, TokenShape::boundedString)),
            Map.entry("exp", TokenShape::epochSecond),
            Map.entry("nbf", TokenShape::epochSecond),
            Map.entry("iat", TokenShape::epochSecond),
            Map.entry("jti", TokenShape::boundedString),
            Map.entry("groups", n -> n.isArray() && every(n, TokenShape::boundedString)),
            // the OpenID Connect claims the JWT parser reads as well
            Map.entry("updated_at", TokenShape::epochSecond),
            Map.entry("email_verified", JsonNode::isBoolean),
            Map.entry("phone_number_verified", JsonNode::isBoolean),
            Map.entry("address", n -> n.isObject() && every(n, JsonNode::isTextual)),
            Map.entry("scope", n -> n.isTextual() || n.isArray() && every(n, JsonNode::isTextual)),
            Map.entry("email", JsonNode::isTextual),
            Map.entry("name", JsonNode::isTextual),
            Map.entry("given_name", JsonNode::isTextual),
            Map.entry("family_name", JsonNode::isTextual),
            Map.entry("middle_name", JsonNode::isTextual),
            Map.entry("nickname", JsonNode::isTextual),
            Map.entry("gender", JsonNode::isTextual),
            Map.entry("phone_number", JsonNode::isTextual),
            Map.entry("nonce", JsonNode::isTextual),
            Map.entry("locale", JsonNode::isTextual),
            Map.entry("zoneinfo", JsonNode::isTextual),
            Map.entry("birthdate", JsonNode::isTextual),
            Map.entry("profile", JsonNode::isTextual),
            Map.entry("picture", JsonNode::isTextual),
            Map.entry("website", JsonNode::isTextual),
            Map.entry("at_hash", JsonNode::isTextual),
            Map.entry("c_hash", JsonNode::isTextual));
    /** The claims any of which may become the caller's subject (see MicroProfile JWT's name rules). */
    private static final Set<String> SUBJECTS = Set.of("sub", "upn", "preferred_username");

    private TokenShape() {
    }

    /**
     * What reading a token's shape found: a refusal, or the registered times the token carries.
     */
    sealed interface Reading {
    }

    /** @param refusal why the shape is refused */
    record Refused(TokenPolicy.Refusal refusal) implements Reading {
    }

    /**
     * The shape holds. Each time is absent where the token has no such claim.
     *
     * @param notBefore {@code nbf}
     * @param issuedAt  {@code iat}
     * @param expiry    {@code exp}
     */
    record Times(Optional<Instant> notBefore, Optional<Instant> issuedAt, Optional<Instant> expiry)
            implements Reading {
    }

    /**
     * @param token a compact JWS from a request
     * @return why its shape is refused, or the times it carries when it has the shape of a token
     */
    static Reading read(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !SEGMENT.matcher(parts[0]).matches() || !SEGMENT.matcher(parts[1]).matches()
                || !SIGNATURE.matcher(parts[2]).matches()) {
            return refused("malformed token");
        }
        JsonNode header = object(parts[0]);
        JsonNode payload = object(parts[1]);
        if (header == null || payload == null) {
            return refused("malformed token");
        }
        Optional<TokenPolicy.Refusal> refusal = headerRefusal(header).or(() -> claimsRefusal(payload));
        if (refusal.isPresent()) {
            return new Refused(refusal.get());
        }
        // each is an integer from 0 to MAX_EPOCH_SECOND where present (CLAIMS checked it)
        return new Times(time(payload, "nbf"), time(payload, "iat"), time(payload, "exp"));
    }

    private static Optional<Instant> time(JsonNode payload, String name) {
        return Optional.ofNullable(payload.get(name)).map(n -> Instant.ofEpochSecond(n.longValue()));
    }

    private static Optional<TokenPolicy.Refusal> headerRefusal(JsonNode header) {
        if (header.has("crit")) {
            return refusal("crit header: no JWS extension is understood here");
        }
        for (Iterator<String> names = header.fieldNames(); names.hasNext(); ) {
            if (!HEADER_NAMES.contains(names.next())) {
                return refusal("header parameter not accepted");
            }
        }
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual() || !TokenPolicy.ALGORITHMS.contains(alg.textValue())) {
            return refusal("algorithm not accepted");
        }
        JsonNode typ = header.get("typ");
        if (typ != null && !(typ.isTextual() && TYPES.contains(typ.textValue().toLowerCase(Locale.ROOT)))) {
            return refusal("header typ is not JWT");
        }
        for (String name : Set.of("kid", "x5t", "x5t#S256")) {
            JsonNode value = header.get(name);
            if (value != null && !boundedString(value)) {
                return refusal("header " + name + " is not a string of 1 to " + MAX_VALUE_CHARACTERS + " characters");
            }
        }
        return Optional.empty();
    }

    private static Optional<TokenPolicy.Refusal> claimsRefusal(JsonNode payload) {
        for (Map.Entry<String, Predicate<JsonNode>> claim : CLAIMS.entrySet()) {
            JsonNode value = payload.get(claim.getKey());
            if (value != null && !claim.getValue().test(value)) {
                return refusal("claim " + claim.getKey() + " has the wrong JSON type or range");
            }
        }
        for (String name : SUBJECTS) {
            JsonNode value = payload.get(name);
            if (value == null) {
                continue;
            }
            if (!value.isTextual() || value.textValue().isEmpty() || !printable(value.textValue())) {
                return refusal("claim " + name + " is not a non-empty string of printable characters");
            }
            String subject = value.textValue();
            if (subject.codePointCount(0, subject.length()) > MAX_SUBJECT_CHARACTERS
                    || subject.getBytes(StandardCharsets.UTF_8).length > MAX_SUBJECT_BYTES) {
                return Optional.of(new TokenPolicy.Refusal("claim " + name + " is longer than the subject limit",
                        "the token's " + name + " is longer than " + MAX_SUBJECT_CHARACTERS + " characters ("
                                + MAX_SUBJECT_BYTES + " bytes of UTF-8), the longest subject Flowguard stores"));
            }
        }
        return Optional.empty();
    }

    private static JsonNode object(String segment) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(segment));
            return node != null && node.isObject() ? node : null;
        } catch (IOException | IllegalArgumentException e) {
            return null; // not base64url, not UTF-8, not JSON, names repeated, trailing data
        }
    }

    private static boolean boundedString(JsonNode node) {
        return node.isTextual() && !node.textValue().isEmpty()
                && node.textValue().codePointCount(0, node.textValue().length()) <= MAX_VALUE_CHARACTERS;
    }

    private static boolean epochSecond(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToLong()
                && node.longValue() >= 0 && node.longValue() <= MAX_EPOCH_SECOND;
    }

    private static boolean nonEmptyArrayOf(JsonNode node, Predicate<JsonNode> each) {
        return node.isArray() && !node.isEmpty() && every(node, each);
    }

    private static boolean every(JsonNode container, Predicate<JsonNode> each) {
        for (JsonNode element : container) {
            if (!each.test(element)) {
                return false;
            }
        }
        return true;
    }

    /** No control characters and no lone surrogates: a subject is stored, logged and compared as text. */
    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static Optional<TokenPolicy.Refusal> refusal(String reason) {
        return Optional.of(TokenPolicy.Refusal.of(reason));
    }

    private static Reading refused(String reason) {
        return new Refused(TokenPolicy.Refusal.of(reason));
    }
}
