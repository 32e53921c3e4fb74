package io.flowguard.edge;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

/**
 * The HTTP/1.1 receive listener of the edge: checks the request target when the request line is
 * in, gives each request's header section a deadline, and checks the message framing
 * ({@link MessageFraming}) once the headers are in.
 *
 * <p>Security (slowloris): a per-read socket timeout never fires for a client that sends its
 * head one byte at a time, and each such connection holds a thread and a socket for as long as it
 * likes. Helidon's idle timeout (set to the same time by {@link HttpLayerGuards}) interrupts a
 * connection still reading its request line (after half the head's time), but not one reading
 * its headers. So when the request line is in, the rest of the head must follow within what is
 * left of the head's time ({@link HttpLayerSettings#headerSectionTimeout()}): otherwise the socket
 * is closed under the reader, whatever it was doing. The whole head never takes longer than
 * {@code flowguard.http.request-head-timeout}.
 *
 * <p>It also leaves the connection of a request whose head is in on this (the routing) thread,
 * for {@link ClientConnectionFilter}.
 */
final class RequestHeadDeadline implements Http1ConnectionListener {

    private static final System.Logger LOG = System.getLogger(RequestHeadDeadline.class.getName());

    private final Duration timeout;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<ConnectionContext, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

    RequestHeadDeadline(Duration timeout) {
        this.timeout = timeout;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "flowguard-request-head-deadline");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        MessageFraming.checkTarget(prologue);
        pending.put(ctx, timer.schedule(() -> expire(ctx), timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        ScheduledFuture<?> deadline = pending.remove(ctx);
        if (deadline != null) {
            deadline.cancel(false);
        }
        MessageFraming.check(headers);
        ClientConnection.READ_ON_THIS_THREAD.set(ctx);
    }

    private void expire(ConnectionContext ctx) {
        if (pending.remove(ctx) != null) {
            LOG.log(System.Logger.Level.DEBUG, "closing a connection whose request head took over " + timeout);
            ctx.serverSocket().close();
        }
    }

    /** @return connections whose header section is still being read */
    int pending() {
        return pending.size();
    }

    void stop() {
        timer.shutdownNow();
    }
}
