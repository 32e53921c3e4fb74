package io.flowguard.testkit;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test's stand-in for an outbound service a flow declares: it answers each call a step makes
 * to that service ({@code context.call("media", "/bookings", ...)}). The reply is read by the
 * engine exactly as a real one (into the type the step names, validated), so a stub with a
 * malformed reply fails the step as the real service would.
 */
@FunctionalInterface
public interface ServiceStub {

    /**
     * @param call the call, as the service would receive it
     * @return the reply or failure
     */
    StubReply answer(OutboundCall call);

    /**
     * @param replies what the first, second, ... call gets; every call after them gets the last
     * @return a stub answering calls in that order
     */
    static ServiceStub replying(StubReply... replies) {
        List<StubReply> inOrder = List.of(replies);
        if (inOrder.isEmpty()) {
            throw new IllegalArgumentException("a stub needs at least one reply");
        }
        AtomicInteger next = new AtomicInteger();
        return call -> inOrder.get(Math.min(next.getAndIncrement(), inOrder.size() - 1));
    }

    /**
     * @param reply what every call gets
     * @return a stub always answering so
     */
    static ServiceStub always(StubReply reply) {
        Objects.requireNonNull(reply);
        return call -> reply;
    }
}
