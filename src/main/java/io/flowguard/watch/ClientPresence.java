package io.flowguard.watch;

import java.util.function.BooleanSupplier;

import io.helidon.common.context.Contexts;

/**
 * Whether the client of the current request is still connected, for work that outlives a quick
 * answer (a waiting read, a live stream): the edge registers a check in the request's context
 * under {@link #KEY}; without one (a request from elsewhere) the client counts as present.
 */
public final class ClientPresence {

    /** Request context key of the {@link BooleanSupplier} that says the client went away. */
    public static final String KEY = "flowguard.client-gone";

    private ClientPresence() {
    }

    /** @return true when the current request's client has closed its connection */
    public static boolean gone() {
        return Contexts.context().flatMap(c -> c.get(KEY, BooleanSupplier.class))
                .map(BooleanSupplier::getAsBoolean).orElse(false);
    }
}
