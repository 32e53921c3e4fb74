package io.flowguard.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.flowguard.outbound.ServiceDirectory;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.testflows.ChainFlow;
import io.flowguard.testing.LocalService;
import io.flowguard.testing.MapConfigSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * Consecutive steps of one drive are committed together: every commit bumps the execution's
 * version by exactly one, so the version a drive ends at counts its commits. A batch holds at most
 * {@code flowguard.engine.steps-per-commit} steps, and ends early after a step that called a service
 * (a real local HTTP server here) or asked an agent, and once it has been open for the heartbeat
 * interval; the history still has every step's events, in order.
 */
class StepBatchesTest {

    @RegisterExtension
    static final EngineHarness HARNESS = EngineHarness.perClass();

    private final LocalService media = LocalService.start(request -> new LocalService.Reply(200, "{}"));

    @AfterEach
    void closeAudit() {
        media.close();
    }

    private Engine engine(int stepsPerCommit) {
        return engine(TunedSettings.noWorkers().steps(EngineSettings.defaults().stepsPerClaim(), stepsPerCommit));
    }

    private Engine engine(TunedSettings settings) {
        Config config = ConfigProviderResolver.instance().getBuilder()
                .withSources(new MapConfigSource("step-batches-test", Map.of(
                        "flowguard.services.media.url", media.url())))
                .build();
        return HARNESS.instance("worker").flow(ChainFlow.class)
                .settings(settings.build())
                .services(flows -> new ServiceDirectory(flows, config)).build();
    }

    private static UUID start(Engine engine, String key) {
        return engine.start("test-chain", "{\"key\":\"" + key + "\"}", "batch-owner", null).execution().id();
    }

    /** @return how many commits the drives made since the start committed */
    private static long commitsSinceStart(Engine engine, UUID id, long startedAt) {
        return engine.get(id).orElseThrow().version() - startedAt;
    }

    @Test
    void pureStepsFromTheStartToTheEndAreOneCommitWithEveryStepsEvents() {
        Engine engine = engine(16);
        UUID id = start(engine, "done-" + UUID.randomUUID());
        long started = engine.get(id).orElseThrow().version();

        engine.runDue();

        ExecutionSnapshot done = engine.get(id).orElseThrow();
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(commitsSinceStart(engine, id, started), is(1L));
        assertThat(done.state(), containsString("\"log\":[\"one\",\"two\",\"three\",\"four\",\"done\"]"));
        List<String> stepEvents = new ArrayList<>();
        for (EventSnapshot event : engine.history(id, 0, 100)) {
            if (event.step() != null && event.type().startsWith("STEP_")) {
                stepEvents.add(event.step() + " " + event.type());
            }
        }
        assertThat(stepEvents, contains("one STEP_STARTED", "one STEP_COMPLETED", "two STEP_STARTED",
                "two STEP_COMPLETED", "three STEP_STARTED", "three STEP_COMPLETED", "four STEP_STARTED",
                "four STEP_COMPLETED", "done STEP_STARTED", "done STEP_COMPLETED"));
    }

    /** Five steps at caps 1, 2 and 3: 5, 3 ([one two] [three four] [done]) and 2 commits. */
    @Test
    void aBatchHoldsAtMostStepsPerCommitSteps() {
        assertThat(commitsOfAChainAt(1), is(5L));
        assertThat(commitsOfAChainAt(2), is(3L));
        assertThat(commitsOfAChainAt(3), is(2L));
    }

    private long commitsOfAChainAt(int stepsPerCommit) {
        Engine engine = engine(stepsPerCommit);
        UUID id = start(engine, "done-" + UUID.randomUUID());
        long started = engine.get(id).orElseThrow().version();

        engine.runDue();

        assertThat(engine.get(id).orElseThrow().status(), is(ExecutionStatus.COMPLETED));
        return commitsSinceStart(engine, id, started);
    }

    /**
     * A claim's last step ends its batch: four steps per claim, three per commit: [one two three]
     * [four], then, claimed again, [done]. A drive that let go of its last batch unwritten would
     * leave four to run again on the next claim ([four done]: one commit less).
     */
    @Test
    void theLastStepOfAClaimIsCommittedBeforeTheExecutionIsLetGo() {
        Engine engine = engine(TunedSettings.noWorkers().steps(4, 3));
        UUID id = start(engine, "done-" + UUID.randomUUID());
        long started = engine.get(id).orElseThrow().version();

        engine.runDue();

        ExecutionSnapshot done = engine.get(id).orElseThrow();
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(commitsSinceStart(engine, id, started), is(3L));
        assertThat(done.state(), containsString("\"log\":[\"one\",\"two\",\"three\",\"four\",\"done\"]"));
    }

    @Test
    void aStepThatCalledAServiceIsCommittedBeforeTheNextStepRuns() {
        Engine engine = engine(16);
        UUID id = start(engine, "call-" + UUID.randomUUID());
        long started = engine.get(id).orElseThrow().version();

        engine.runDue();

        ExecutionSnapshot done = engine.get(id).orElseThrow();
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(media.requests(), hasSize(1));
        assertThat("[one two three four call] [after call]", commitsSinceStart(engine, id, started), is(2L));
    }

    @Test
    void anAskIsCommittedAndAnswerableBeforeTheStepsQueuedBesideItRun() {
        Engine engine = engine(16);
        String key = "ask-" + UUID.randomUUID();
        UUID id = start(engine, key);
        long started = engine.get(id).orElseThrow().version();
        List<Integer> seenInInbox = new ArrayList<>();
        ChainFlow.during(key, "meanwhile",
                context -> seenInInbox.add(engine.inbox(Set.of("test_lead"), id, 10).size()));

        engine.runDue();

        assertThat("the request was open while meanwhile ran", seenInInbox, contains(1));
        assertThat(engine.get(id).orElseThrow().status(), is(ExecutionStatus.WAITING_AGENT));
        assertThat("[one two three four ask] [meanwhile]", commitsSinceStart(engine, id, started), is(2L));
    }

    @Test
    void aBatchOpenForTheHeartbeatIntervalIsCommittedThen() {
        Engine engine = engine(16);
        String key = "done-" + UUID.randomUUID();
        UUID id = start(engine, key);
        long started = engine.get(id).orElseThrow().version();
        ChainFlow.during(key, "two",
                context -> HARNESS.clock.advance(EngineSettings.defaults().heartbeatInterval()));

        engine.runDue();

        assertThat(engine.get(id).orElseThrow().status(), is(ExecutionStatus.COMPLETED));
        assertThat("[one two] [three four done]", commitsSinceStart(engine, id, started), is(2L));
    }

    @Test
    void aBatchOpenForJustLessThanTheHeartbeatIntervalGoesOn() {
        Engine engine = engine(16);
        String key = "done-" + UUID.randomUUID();
        UUID id = start(engine, key);
        long started = engine.get(id).orElseThrow().version();
        ChainFlow.during(key, "two", context -> HARNESS.clock.advance(
                EngineSettings.defaults().heartbeatInterval().minusMillis(1)));

        engine.runDue();

        assertThat(engine.get(id).orElseThrow().status(), is(ExecutionStatus.COMPLETED));
        assertThat(commitsSinceStart(engine, id, started), is(1L));
    }
}
