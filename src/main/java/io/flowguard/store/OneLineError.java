package io.flowguard.store;

/**
 * Turns an exception into the one line an operator reads in a log: the innermost cause's type
 * and the first line of its message. Never a stack trace, so a retry loop cannot flood the log.
 */
public final class OneLineError {

    private OneLineError() {
    }

    /**
     * @param e any throwable
     * @return {@code SimpleName: first message line} of its root cause
     */
    public static String of(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
        return root.getClass().getSimpleName() + ": " + message;
    }
}
