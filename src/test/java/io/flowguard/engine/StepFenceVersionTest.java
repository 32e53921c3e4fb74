package io.flowguard.engine;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.flowguard.store.ExecutionStatus;
import io.flowguard.testflows.AskWhileWorkingFlow;
import io.flowguard.testflows.Gates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The version half of the step fence: a step that runs under a valid lease while another change
 * to its execution commits (an answer to a parallel wait) has its commit refused, and runs again
 * from the row as it is now, so the other change survives in the state and the history.
 */
class StepFenceVersionTest {

    private final EngineHarness harness = new EngineHarness();
    private final Engine engine = harness.instance("worker").flow(AskWhileWorkingFlow.class).build();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aStepWhoseRowChangedWhileItRanIsRefusedAndRunsAgainFromTheFreshRow() throws Exception {
        String key = "fence-version-" + UUID.randomUUID();
        UUID id = engine.start("test-ask-while-working", "{\"key\":\"" + key + "\"}", "worker-owner", null)
                .execution().id();
        Thread worker = Thread.ofPlatform().start(engine::runDue);
        try {
            assertThat(Gates.awaitEntered(key), is(true));
            ExecutionSnapshot held = engine.get(id).orElseThrow();
            assertThat(held.leaseOwner(), is("worker"));
            RequestSnapshot request = engine.inbox(Set.of("test_lead"), id, 10).get(0);

            ExecutionSnapshot answered = engine.answer(request.id(), Set.of("test_lead"), "lead", "{\"go\":true}");
            assertThat("the answer committed while the step ran", answered.version(), is(held.version() + 1));
            assertThat("the lease is the running step's still", answered.leaseOwner(), is("worker"));
        } finally {
            Gates.release(key);
        }
        worker.join(Duration.ofSeconds(30).toMillis());
        assertThat(worker.isAlive(), is(false));

        ExecutionSnapshot done = engine.get(id).orElseThrow();
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(Gates.runs(key), is(2));
        assertThat("the refused run left nothing", done.state(), not(containsString("work run 1")));
        assertThat(done.state(), containsString("\"begin\",\"work run 2\",\"answered by lead\""));
        assertThat(HistoryOf.ofStep(engine, id, "work"), is(List.of("STEP_STARTED", "STEP_COMPLETED")));
        assertThat(HistoryOf.events(engine, id, "ANSWERED").stream().map(EventSnapshot::actor).toList(),
                is(List.of("lead")));
        assertThat(HistoryOf.ofStep(engine, id, "answered"), is(List.of("STEP_STARTED", "STEP_COMPLETED")));
    }
}
