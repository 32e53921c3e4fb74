package io.flowguard.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that moves only when the test moves it: leases, deadlines and backoffs on demand. */
public final class ManualClock extends Clock {

    private final AtomicReference<Instant> now;

    /** @param start where time stands at first */
    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** @param by how far to move time forward */
    public void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
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
