package io.flowguard.store;

import java.util.UUID;

/**
 * Told about changes once the transaction that made them has committed (never before, never for
 * a rollback): what waiting readers of this instance wait for.
 */
public interface CommitListener {

    /** Tells nobody. */
    CommitListener NONE = new CommitListener() {
        @Override
        public void historyGrew(UUID execution) {
        }

        @Override
        public void asked(UUID execution, String role) {
        }
    };

    /**
     * @param execution an execution whose history grew (every change to an execution appends to it)
     */
    void historyGrew(UUID execution);

    /**
     * @param execution the execution that asked
     * @param role      the agent role the new request is addressed to
     */
    void asked(UUID execution, String role);
}
