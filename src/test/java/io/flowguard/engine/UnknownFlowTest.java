package io.flowguard.engine;

import java.util.List;
import java.util.UUID;

import io.flowguard.examples.FeatureApprovalFlow;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.ExecutionWrite;
import io.flowguard.store.FlowExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A stored execution whose flow is not registered (a removed flow, or a hostile row naming a
 * class) fails alone with {@code unknown_flow}, audited; the name is never resolved to code.
 * No container: the rows go in through the engine's store, and one {@link Engine#runDue()} drives them all.
 * They go in after the engine's deployment check passed, as an older instance of a rolling deploy
 * writes them: an engine that starts after them refuses to ({@link DeploymentCheckTest}).
 */
class UnknownFlowTest {

    /** One database for the class, emptied before each test. */
    @RegisterExtension
    static final EngineHarness harness = EngineHarness.perClass();
    private final Engine engine = harness.instance("instance-a").flow(FeatureApprovalFlow.class).build();

    @Test
    void anUnregisteredFlowFailsAloneWhileOthersRunOn() {
        engine.checkDeployment(); // nothing stored yet
        String progress = new io.flowguard.json.StrictJson().write(Progress.starting(List.of("analyze")));
        FlowExecution ghost = insert(new FlowExecution(UUID.randomUUID(), "java.lang.ProcessBuilder", 1,
                "wendy", "{}", progress, harness.clock.instant()));
        FlowExecution oldVersion = insert(new FlowExecution(UUID.randomUUID(), "feature-approval", 99,
                "wendy", "{}", progress, harness.clock.instant()));
        UUID healthy = engine.start("feature-approval", "{\"featureName\":\"ok\",\"estimatedCost\":1}", "wendy", null)
                .execution().id();

        engine.runDue();

        ExecutionSnapshot failed = engine.get(ghost.id()).orElseThrow();
        ExecutionSnapshot failedVersion = engine.get(oldVersion.id()).orElseThrow();
        assertThat(failed.status(), is(ExecutionStatus.FAILED));
        assertThat(failed.errorType(), is("unknown_flow"));
        assertThat(failedVersion.status(), is(ExecutionStatus.FAILED));
        assertThat(failedVersion.errorType(), is("unknown_flow"));
        assertThat("the registered version ran on", engine.get(healthy).orElseThrow().status(),
                is(ExecutionStatus.COMPLETED));
        assertThat(engine.unknownFlows(), is(2L));
    }

    @Test
    void anEngineStartingAfterThemRefusesToRunNamingTheFlowsAndVersions() {
        String progress = new io.flowguard.json.StrictJson().write(Progress.starting(List.of("analyze")));
        insert(new FlowExecution(UUID.randomUUID(), "java.lang.ProcessBuilder", 1, "wendy", "{}", progress,
                harness.clock.instant()));
        insert(new FlowExecution(UUID.randomUUID(), "feature-approval", 99, "wendy", "{}", progress,
                harness.clock.instant()));

        DeploymentRefused refused = assertThrows(DeploymentRefused.class, engine::runDue);

        assertThat(refused.report().missingVersions(), contains(
                new DeploymentReport.MissingVersion("feature-approval", 99, 1),
                new DeploymentReport.MissingVersion("java.lang.ProcessBuilder", 1, 1)));
        assertThat("nothing failed", engine.unknownFlows(), is(0L));
    }

    private FlowExecution insert(FlowExecution row) {
        return harness.store.transaction(tx -> {
            tx.insert(new ExecutionWrite(row));
            return row;
        });
    }
}
