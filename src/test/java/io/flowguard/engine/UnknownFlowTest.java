package io.flowguard.engine;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.ExecutionWrite;
import io.flowguard.store.FlowExecution;
import io.flowguard.store.Store;
import io.flowguard.engine.ExecutionSnapshot;
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
    Engine engine;

    @Inject
    Store store;


    @Test
    void anUnregisteredFlowFailsAloneWhileOthersRunOn() {
        long auditedBefore = engine.unknownFlows();
        String progress = engine.json().write(Progress.starting(List.of("analyze")));
        FlowExecution ghost = insert(new FlowExecution(UUID.randomUUID(), "java.lang.ProcessBuilder", 1,
                "wendy", "{}", progress, Instant.now()));
        FlowExecution oldVersion = insert(new FlowExecution(UUID.randomUUID(), "feature-approval", 99,
                "wendy", "{}", progress, Instant.now()));
        UUID healthy = engine.start("campaign-launch", "{\"name\":\"ok\",\"budget\":1}", "wendy", null).execution().id();

        ExecutionSnapshot failed = EngineProbe.awaitStatus(engine, ghost.id(), ExecutionStatus.FAILED);
        ExecutionSnapshot failedVersion = EngineProbe.awaitStatus(engine, oldVersion.id(), ExecutionStatus.FAILED);

        assertThat(failed.errorType(), is("unknown_flow"));
        assertThat(failedVersion.errorType(), is("unknown_flow"));
        assertThat(EngineProbe.awaitStatus(engine, healthy, ExecutionStatus.COMPLETED).status(), is(ExecutionStatus.COMPLETED));
        assertThat(engine.unknownFlows() - auditedBefore, is(2L));
    }

    private FlowExecution insert(FlowExecution row) {
        return store.transaction(tx -> {
            tx.insert(new ExecutionWrite(row));
            return row;
        });
    }
}
