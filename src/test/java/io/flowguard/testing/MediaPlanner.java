package io.flowguard.testing;

/**
 * The {@code media} service {@code campaign-launch} books through, a real local HTTP server
 * booking by answering {@code {"booking": "bk-<idempotency key>"}}: one shared by every service
 * the test suite starts (see {@link LocalServicesConfigSource}), or one of a test's own
 * ({@link #start()}), which the test may script to fail.
 */
public final class MediaPlanner {

    private static final LocalService SHARED = start();

    private MediaPlanner() {
    }

    /** @return a new media planner of the caller's own, on a free port; the caller closes it */
    public static LocalService start() {
        return LocalService.start(MediaPlanner::book);
    }

    /** @return the media planner every service of the test run books through */
    public static LocalService shared() {
        return SHARED;
    }

    /**
     * @param request a booking request
     * @return what the planner does with it: books, under a reference made of its idempotency key
     */
    public static LocalService.Behaviour book(LocalService.Request request) {
        return new LocalService.Reply(201, "{\"booking\":\"bk-" + request.idempotencyKey() + "\",\"channel\":\"tv\"}");
    }
}
