package io.flowguard.engine;

/**
 * Shows a flow or step name read from the database in a message. A stored name is data: it was
 * written from a registered name, but a row can hold anything, so a character outside the names a
 * flow may declare is written as a backslash, {@code u} and its four hex digits (no line break, quote or control character from a
 * row ever reaches a log line, an exception message or {@code verify}'s output as itself), and a
 * name is cut at 100 characters, the longest a flow or step may have.
 */
final class Names {

    private static final int LONGEST = 100;

    private Names() {
    }

    /**
     * @param stored a name as stored
     * @return the name itself when it is one a flow could declare, else an escaped, bounded form of it
     */
    static String shown(String stored) {
        if (stored == null) {
            return "(none)";
        }
        StringBuilder shown = new StringBuilder();
        int end = Math.min(stored.length(), LONGEST);
        for (int i = 0; i < end; i++) {
            char c = stored.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.') {
                shown.append(c);
            } else {
                shown.append(String.format("\\u%04x", (int) c));
            }
        }
        if (stored.length() > LONGEST) {
            shown.append("... (").append(stored.length()).append(" characters)");
        }
        return shown.toString();
    }
}
