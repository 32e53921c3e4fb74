package io.flowguard.store;

import java.util.UUID;
import java.util.function.Consumer;

/** Execution rows written and read straight through a {@link Store}, for tests of the row itself. */
final class StoreRows {

    private final Store store;

    StoreRows(Store store) {
        this.store = store;
    }

    /** @return the row, inserted */
    FlowExecution insert(FlowExecution row) {
        return store.transaction(tx -> {
            tx.insert(new ExecutionWrite(row));
            return row;
        });
    }

    /** @return the row as committed, or null */
    FlowExecution find(UUID id) {
        return store.transaction(tx -> tx.execution(id));
    }

    /**
     * Changes the row and writes it at the version it was read at.
     *
     * @return the row, now at its new version
     * @throws IllegalStateException when the row moved on since it was read
     */
    FlowExecution save(FlowExecution row, Consumer<FlowExecution> change) {
        ExecutionWrite write = new ExecutionWrite(row);
        change.accept(row);
        return store.transaction(tx -> {
            if (!tx.commitIfUnchanged(write)) {
                throw new IllegalStateException("the row moved on");
            }
            return row;
        });
    }
}
