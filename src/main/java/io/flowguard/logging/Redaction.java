package io.flowguard.logging;

import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * Replaces secret-shaped parts of a text by {@code [redacted]}: JWT-shaped strings, the
 * credential after {@code Authorization:} and after {@code Bearer}, and the value after a name
 * ending in password, passwd, secret or token followed by {@code =} or {@code :}. A second line of
 * defence (no code logs a secret on purpose) for text that may carry caller data: a path, a
 * subject, an exception's message.
 *
 * <p>It works on the plain text of one value, before anything encodes it: run over an encoded
 * line, a value could eat the escape before a quote and break the line (issue 16, point 11). It
 * is precise rather than greedy, so ordinary words stay: "not a bearer token" is not a credential
 * (a bearer credential has a digit, inner punctuation, or at least 16 characters).
 */
public final class Redaction {

    /** What a secret is replaced by. */
    public static final String REDACTED = "[redacted]";

    /** Three base64url segments, the first a JSON header; only from the start of a run, so text stays linear. */
    private static final Pattern JWT = Pattern.compile(
            "(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}+\\.[A-Za-z0-9_-]{4,}+\\.[A-Za-z0-9_-]*+");
    /** An HTTP Authorization header with any scheme; the scheme stays, the credential goes. */
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)(authorization[\"']?\\s*[=:]\\s*[\"']?(?:[A-Za-z][A-Za-z0-9._~+/-]*\\s+)?)[^\\s\"',;&}]+");
    /** Whatever follows the scheme name up to a space or delimiter; judged by {@link #credentialShaped}. */
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)([^\\s\"',;}]+)");
    private static final Pattern CREDENTIAL = Pattern.compile(".*[0-9].*|.*[._~+/=-][A-Za-z0-9].*|.*=|.{16,}");
    /** A named secret; a quoted value goes to its closing quote, a bare one to a space or delimiter. */
    private static final Pattern NAMED_SECRET = Pattern.compile(
            "(?i)((?:password|passwd|secret|token)[\"']?\\s*[=:]\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"?|'[^']*'?|[^\\s\"',;&}]+)");

    private Redaction() {
    }

    /**
     * @param text any text, or null
     * @return it with token- and secret-shaped parts replaced by {@value #REDACTED} (null stays null)
     */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = JWT.matcher(text).replaceAll(REDACTED);
        out = AUTHORIZATION.matcher(out).replaceAll(m -> quote(m.group(1)) + REDACTED);
        out = BEARER.matcher(out).replaceAll(Redaction::bearer);
        return NAMED_SECRET.matcher(out).replaceAll(Redaction::named);
    }

    private static String bearer(MatchResult m) {
        String credential = m.group(2);
        return quote(m.group(1)) + (credentialShaped(credential) ? REDACTED : quote(credential));
    }

    /** A word ("token", "tokens.") is prose; a credential has a digit, inner punctuation, padding or length. */
    private static boolean credentialShaped(String candidate) {
        return CREDENTIAL.matcher(candidate).matches();
    }

    private static String named(MatchResult m) {
        String value = m.group(2);
        String redacted = switch (value.charAt(0)) {
            case '"' -> "\"" + REDACTED + "\"";
            case '\'' -> "'" + REDACTED + "'";
            default -> REDACTED;
        };
        return quote(m.group(1)) + redacted;
    }

    private static String quote(String literal) {
        return java.util.regex.Matcher.quoteReplacement(literal);
    }
}
