package io.flowguard.edge;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.ConnectionContext;

/**
 * Tells whether the client of a request that is waiting or streaming has closed its connection,
 * so that its slot (a waiter, a stream) is given back at once instead of when the wait ends or
 * a heartbeat write fails (today's 30 s).
 *
 * <p>Nothing reads the socket while a request is served, so a client that vanished goes unseen.
 * On first asking, a virtual thread reads ahead on the connection's own reader: end of stream (or
 * a reset) means the client is gone; a byte that arrives (a pipelined request) stays in the
 * reader for the connection's next request. A read-ahead still blocked when the answer is
 * written would race the connection's next read, so then the connection is closed after the
 * answer ({@link ClientConnectionFilter}); the client opens a new one for its next request.
 */
final class ClientConnection implements BooleanSupplier {

    /** The connection whose headers were read last on this thread (the routing thread). */
    static final ThreadLocal<ConnectionContext> READ_ON_THIS_THREAD = new ThreadLocal<>();

    private final DataReader reader;
    private volatile boolean gone;
    private Thread readAhead;

    ClientConnection(DataReader reader) {
        this.reader = reader;
    }

    @Override
    public synchronized boolean getAsBoolean() {
        if (readAhead == null) {
            readAhead = Thread.ofVirtual().name("flowguard-client-watch").start(this::readAhead);
        }
        return gone;
    }

    private void readAhead() {
        try {
            reader.ensureAvailable();
        } catch (RuntimeException endOfStreamOrReset) {
            gone = true;
        }
    }

    /** @return true when a read-ahead started and has not ended (its end is visible to the caller after false) */
    boolean readingAhead() {
        Thread thread;
        synchronized (this) {
            thread = readAhead;
        }
        if (thread == null) {
            return false;
        }
        try {
            return !thread.join(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
