package io.flowguard.testing;

/**
 * The {@code media} service {@code campaign-launch} books through, for every service the test
 * suite starts: one real local HTTP server per test JVM (see {@link LocalServicesConfigSource}),
 * booking by answering {@code {"booking": "bk-<idempotency key>"}}. A test may script other
 * behaviour, and must {@link #restore()} it.
 */
public final class MediaPlanner {

    private static final LocalService SHARED = LocalService.start(MediaPlanner::book);

    private MediaPlanner() {
    }

    /** @return the shared media planner */
    public static LocalService shared() {
        return SHARED;
    }

    /** Puts the planner back to booking everything, with no requests remembered. */
    public static void restore() {
        SHARED.reset();
        SHARED.otherwise(MediaPlanner::book);
    }

    private static LocalService.Behaviour book(LocalService.Request request) {
        return new LocalService.Reply(201, "{\"booking\":\"bk-" + request.idempotencyKey() + "\",\"channel\":\"tv\"}");
    }
}
