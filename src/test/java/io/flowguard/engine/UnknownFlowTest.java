package io.flowguard.engine;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.ExecutionStore;
import io.flowguard.store.FlowExecution;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A stored execution whose flow is not registered (a removed flow, or a hostile row naming a
 * class) fails alone with {@code unknown_flow}, audited; the name is never resolved to code.
 */
@HelidonTest
class UnknownFlowTest {

    @Inject
    ExecutionEngine engine;

    @Inject
    ExecutionStore store;

    @Inject
    EngineComponents components;

    @Test
    void anUnregisteredFlowFailsAloneWhileOthersRunOn() {
        long auditedBefore = components.unknownFlows().get();
        String progress = components.codec().write(Progress.starting(List.of("analyze")));
        FlowExecution ghost = store.insert(new FlowExecution(UUID.randomUUID(), "java.lang.ProcessBuilder", 1,
                "wendy", "{}", progress, Instant.now()));
        FlowExecution oldVersion = store.insert(new FlowExecution(UUID.randomUUID(), "feature-approval", 99,
                "wendy", "{}", progress, Instant.now()));
        UUID healthy = engine.start("campaign-launch", "{\"name\":\"ok\",\"budget\":1}", "wendy").id();

        FlowExecution failed = EngineProbe.awaitStatus(engine, ghost.id(), ExecutionStatus.FAILED);
        FlowExecution failedVersion = EngineProbe.awaitStatus(engine, oldVersion.id(), ExecutionStatus.FAILED);

        assertThat(failed.errorType(), is("unknown_flow"));
        assertThat(failedVersion.errorType(), is("unknown_flow"));
        assertThat(EngineProbe.awaitStatus(engine, healthy, ExecutionStatus.COMPLETED).status(), is(ExecutionStatus.COMPLETED));
        assertThat(components.unknownFlows().get() - auditedBefore, is(2L));
    }
}
