package io.flowguard.engine;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Finds a string or field name in a JSON document that holds an unpaired UTF-16 surrogate: a
 * {@code \ud800} escape without its low half, or a low half alone. JSON's escapes can spell one
 * although no Unicode text contains one; Jackson hands it on, and the database's UTF-8 would
 * store {@code ?} in its place, so the caller's text would change without a word. Well-formed
 * UTF-8 bytes never decode to one, so only escapes (or text built in Java) can carry it.
 */
final class UnpairedSurrogates {

    private UnpairedSurrogates() {
    }

    /**
     * Reads every token of the document.
     *
     * @param parser a parser on the document, positioned before its first token
     * @return the JSON pointer of the first string or field name holding an unpaired surrogate
     * @throws IOException when the document is not well-formed JSON (or breaks a stream limit)
     */
    static Optional<String> first(JsonParser parser) throws IOException {
        for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
            if ((token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME) && !wellFormed(parser.getText())) {
                return Optional.of(parser.getParsingContext().pathAsPointer().toString());
            }
        }
        return Optional.empty();
    }

    /**
     * @param text any text
     * @return true when every surrogate in it is half of a high-low pair
     */
    static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
