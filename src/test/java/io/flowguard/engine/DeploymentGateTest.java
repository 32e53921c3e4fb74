package io.flowguard.engine;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.flowguard.json.StrictJson;
import io.flowguard.store.ExecutionWrite;
import io.flowguard.store.FlowExecution;
import io.flowguard.testflows.WaitFlow;
import io.flowguard.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A database that is not ready when the workers are to start (down, or not migrated yet) does not
 * stop the engine from starting: the deployment check waits for it on a thread of its own, then
 * starts the workers when it passes, or leaves them stopped when it refuses (and says so, for
 * readiness). Time here is the database's readiness, set by the test.
 */
class DeploymentGateTest {

    @RegisterExtension
    static final EngineHarness harness = EngineHarness.perClass();

    private final AtomicBoolean ready = new AtomicBoolean();

    private Engine engine(String id) {
        return harness.instance(id).settings(TunedSettings.noWorkers().workers(1, java.time.Duration.ofMillis(20)).build()).databaseReady(ready::get)
                .flow(WaitFlow.class).build();
    }

    @Test
    void theCheckWaitsForTheDatabaseThenTheWorkersStart() {
        try (Engine engine = engine("waits")) {
            engine.startWorkers();
            assertThat("nothing read yet, nothing started", engine.workers().isPresent(), is(false));

            ready.set(true);

            Await.until("the workers", EngineProbe.WAIT, () -> engine.workers().isPresent());
            assertThat(engine.deploymentRefusal().isPresent(), is(false));
        }
    }

    @Test
    void aRefusalOnceTheDatabaseIsReadyLeavesTheWorkersStoppedAndIsShown() {
        String progress = new StrictJson().write(new Progress(List.of(), Set.of(), Set.of("ask"), Set.of("ask"), 1));
        harness.store.transaction(tx -> {
            tx.insert(new ExecutionWrite(new FlowExecution(UUID.randomUUID(), "test-wait", 7, "gate", "{}", progress,
                    harness.clock.instant())));
            return null;
        });
        try (Engine engine = engine("refuses")) {
            engine.startWorkers();

            ready.set(true);

            Await.until("the refusal", EngineProbe.WAIT, () -> engine.deploymentRefusal().isPresent());
            assertThat(engine.deploymentRefusal().orElseThrow().missingVersions(),
                    is(List.of(new DeploymentReport.MissingVersion("test-wait", 7, 1))));
            assertThat(engine.workers().isPresent(), is(false));
        }
    }
}
