package io.flowguard.watch;

import java.util.List;
import java.util.UUID;

import io.flowguard.engine.Engine;
import io.flowguard.testflows.Gates;
import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * What the committed rows signal: every commit that changes an execution signals its
 * {@link ChangeSignals#execution} key, but only a new agent request signals
 * {@link ChangeSignals#asked} — so an inbox waiting for one execution's request is not read again
 * for each of the steps that run before the ask. Each step commits alone here
 * ({@code steps-per-commit=1}), so a commit falls between the two held steps.
 */
@HelidonTest
@AddConfig(key = "flowguard.engine.steps-per-commit", value = "1")
class AskedSignalTest {

    @Inject
    Engine engine;
    @Inject
    ChangeSignals signals;

    @Test
    void onlyANewRequestSignalsTheExecutionsInbox() throws Exception {
        String key = "asked-" + UUID.randomUUID();
        UUID id = engine.start("test-two-gates-ask", "{\"key\":\"" + key + "\"}", "alice", null).execution().id();
        assertThat(Gates.awaitEntered(key), is(true));
        try (ChangeSignals.Waiter changed = signals.register(List.of(ChangeSignals.execution(id))).orElseThrow();
             ChangeSignals.Waiter asked = signals.register(List.of(ChangeSignals.asked(id))).orElseThrow()) {
            Gates.release(key);
            assertThat(Gates.awaitEntered(key + ":second"), is(true));

            assertThat("the first step's commit changed the execution", changed.await(10_000), is(true));
            assertThat("but asked nobody", asked.await(300), is(false));

            Gates.release(key + ":second");
            assertThat("the ask's commit", asked.await(10_000), is(true));
        }
        assertThat(engine.inbox(java.util.Set.of("test_lead"), id, 10).size(), is(1));
    }
}
