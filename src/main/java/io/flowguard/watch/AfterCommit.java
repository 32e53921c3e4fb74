package io.flowguard.watch;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Runs an action once the current JTA transaction has committed (never after a rollback), or at
 * once outside a transaction: for effects others may observe (a metric, a wake-up) that must not
 * run ahead of the data they speak of.
 */
public final class AfterCommit {

    private AfterCommit() {
    }

    /**
     * @param transactions the container's synchronization registry
     * @param action       what to run after the commit
     */
    public static void run(TransactionSynchronizationRegistry transactions, Runnable action) {
        if (transactions.getTransactionKey() == null) {
            action.run();
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }
}
