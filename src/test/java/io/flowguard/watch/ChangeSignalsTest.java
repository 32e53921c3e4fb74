package io.flowguard.watch;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Signals reach exactly the waiters of their key; the bound on waiting requests holds. */
class ChangeSignalsTest {

    private static ChangeSignals signals(int maxWaiters) {
        ChangeSignals signals = new ChangeSignals();
        signals.maxWaiters = maxWaiters;
        return signals;
    }

    @Test
    void aSignalWakesTheWaitersOfItsKeyOnly() throws InterruptedException {
        ChangeSignals signals = signals(10);
        String mine = ChangeSignals.execution(UUID.randomUUID());
        String other = ChangeSignals.execution(UUID.randomUUID());
        try (ChangeSignals.Waiter a = signals.register(List.of(mine)).orElseThrow();
             ChangeSignals.Waiter b = signals.register(List.of(other, ChangeSignals.role("ceo"))).orElseThrow()) {
            signals.signal(mine);
            assertThat(a.await(5_000), is(true));
            assertThat("not its key", b.await(50), is(false));
            signals.signal(ChangeSignals.role("ceo"));
            assertThat("any of its keys", b.await(5_000), is(true));
            assertThat("a signal is consumed by the wait it ended", a.await(50), is(false));
        }
    }

    @Test
    void aSignalBeforeTheWaitIsNotLost() throws InterruptedException {
        ChangeSignals signals = signals(10);
        String key = ChangeSignals.role("cto");
        try (ChangeSignals.Waiter w = signals.register(List.of(key)).orElseThrow()) {
            signals.signal(key);
            assertThat(w.await(5_000), is(true));
        }
    }

    @Test
    void pastTheBoundARequestDoesNotWait() {
        ChangeSignals signals = signals(2);
        Optional<ChangeSignals.Waiter> first = signals.register(List.of("a"));
        Optional<ChangeSignals.Waiter> second = signals.register(List.of("b"));
        assertThat(first.isPresent() && second.isPresent(), is(true));
        assertThat(signals.register(List.of("c")).isPresent(), is(false));
        assertThat(signals.waiting(), is(2));
        first.get().close();
        first.get().close();
        assertThat("closing twice frees one place", signals.waiting(), is(1));
        Optional<ChangeSignals.Waiter> third = signals.register(List.of("c"));
        assertThat(third.isPresent(), is(true));
        second.get().close();
        third.get().close();
        assertThat(signals.waiting(), is(0));
    }
}
