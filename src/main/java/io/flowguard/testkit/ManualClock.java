package io.flowguard.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when a test moves it: leases, deadlines and retry backoffs pass on
 * demand instead of in real time. {@link #advanceTo} only ever moves forward; {@link #advance}
 * with a negative duration sets the clock back, as a system clock corrected by NTP jumps (for a
 * test of what must hold then). Safe to read from several threads.
 */
public final class ManualClock extends Clock {

    private final AtomicReference<Instant> now;

    /** @param start where time stands at first */
    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start));
    }

    /** @param by how far to move time (negative: back) */
    public void advance(Duration by) {
        Objects.requireNonNull(by);
        now.updateAndGet(t -> t.plus(by));
    }

    /**
     * @param instant where time stands from now on; an instant already past leaves the clock where it is
     * @return where time stands now
     */
    public Instant advanceTo(Instant instant) {
        return now.updateAndGet(t -> instant.isAfter(t) ? instant : t);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
