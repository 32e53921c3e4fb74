package io.flowguard.engine;

import java.util.List;
import java.util.UUID;

import io.flowguard.store.ExecutionEvent;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.FlowExecution;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** campaign-launch fans out to three branches and joins them with all-of before the launch. */
@HelidonTest
class CampaignLaunchFlowTest {

    @Inject
    ExecutionEngine engine;

    @Test
    void launchRunsOnceAfterEveryBranch() {
        UUID id = engine.start("campaign-launch", "{\"name\":\"spring\",\"budget\":1000}", "ivy").id();

        FlowExecution done = EngineProbe.awaitStatus(engine, id, ExecutionStatus.COMPLETED);

        assertThat(done.state(), containsString("\"launched\":true"));
        List<ExecutionEvent> completed = engine.history(id, 0, 100).stream()
                .filter(v -> v.type().equals("STEP_COMPLETED")).toList();
        List<String> order = completed.stream().map(ExecutionEvent::step).toList();
        assertThat(order.size(), is(5));
        assertThat(order.get(0), is("plan"));
        assertThat(order.get(4), is("launch"));
        assertThat(order.subList(1, 4).stream().sorted().toList(), is(List.of("bookMedia", "briefSales", "prepareCreative")));
    }

    @Test
    void invalidCampaignIsRejected() {
        EngineException e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class,
                () -> engine.start("campaign-launch", "{\"name\":\"\",\"budget\":0}", "ivy"));
        assertThat(e.problem(), is(EngineException.Problem.INVALID_INPUT));
        assertThat(e.getMessage(), containsString("budget"));
        assertThat(e.getMessage(), containsString("name"));
    }
}
