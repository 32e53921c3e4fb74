package io.flowguard.engine;

import java.util.UUID;

/**
 * Told when a worker thread starts driving an execution, so that what it logs meanwhile can carry
 * the execution's id (the service puts it in the logging context).
 */
@FunctionalInterface
public interface DriveObserver {

    /** Does nothing. */
    DriveObserver NONE = id -> () -> { };

    /**
     * @param executionId the execution about to be driven on this thread
     * @return closed when the drive ends, on the same thread
     */
    Scope driving(UUID executionId);

    /** The span of one drive. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
