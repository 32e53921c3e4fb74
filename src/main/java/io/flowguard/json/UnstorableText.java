package io.flowguard.json;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Finds a string or field name in a JSON document that the database would not store as sent:
 * <ul>
 * <li>an unpaired UTF-16 surrogate: a {@code \ud800} escape without its low half, or a low half
 * alone. JSON's escapes can spell one although no Unicode text contains one; Jackson hands it
 * on, and UTF-8 would store {@code ?} in its place, so the caller's text would change without a
 * word. Well-formed UTF-8 bytes never decode to one, so only escapes can carry it;</li>
 * <li>U+0000 ({@code \u0000}): PostgreSQL text cannot hold it, so a cancel reason with one was
 * a 500 there (and fine on H2).</li>
 * </ul>
 */
final class UnstorableText {

    /**
     * @param pointer the JSON pointer of the string or field name ("" for the document itself)
     * @param why     what it holds
     */
    record Found(String pointer, String why) {
    }

    private UnstorableText() {
    }

    /**
     * Reads every token of the document.
     *
     * @param parser a parser on the document, positioned before its first token
     * @return the first string or field name the database would not store as sent
     * @throws IOException when the document is not well-formed JSON (or breaks a stream limit)
     */
    static Optional<Found> first(JsonParser parser) throws IOException {
        for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
            if (token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME) {
                Optional<String> why = problem(parser.getText());
                if (why.isPresent()) {
                    return Optional.of(new Found(parser.getParsingContext().pathAsPointer().toString(), why.get()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @param text any text
     * @return what in it cannot be stored as it is, or empty when all of it can
     */
    static Optional<String> problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("an unpaired UTF-16 surrogate (a \\ud800-\\udfff escape without its other half)");
            } else if (c == 0) {
                return Optional.of("U+0000, which the database cannot store");
            }
        }
        return Optional.empty();
    }
}
