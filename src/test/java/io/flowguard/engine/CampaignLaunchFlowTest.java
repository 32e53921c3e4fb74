package io.flowguard.engine;

import java.util.List;
import java.util.UUID;

import io.flowguard.engine.EventSnapshot;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.engine.ExecutionSnapshot;
import io.flowguard.testing.LocalService;
import io.flowguard.testing.MediaPlanner;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * campaign-launch fans out to three branches and joins them with all-of before the launch; its
 * media branch books through the {@code media} service, a real local HTTP server
 * ({@link MediaPlanner}).
 */
@HelidonTest
class CampaignLaunchFlowTest {

    @Inject
    Engine engine;

    @Test
    void launchRunsOnceAfterEveryBranch() {
        UUID id = engine.start("campaign-launch", "{\"name\":\"spring\",\"budget\":1000}", "ivy", null).execution().id();

        ExecutionSnapshot done = EngineProbe.awaitStatus(engine, id, ExecutionStatus.COMPLETED);

        assertThat(done.state(), containsString("\"launched\":true"));
        List<EventSnapshot> completed = engine.history(id, 0, 100).stream()
                .filter(v -> v.type().equals("STEP_COMPLETED")).toList();
        List<String> order = completed.stream().map(EventSnapshot::step).toList();
        assertThat(order.size(), is(5));
        assertThat(order.get(0), is("plan"));
        assertThat(order.get(4), is("launch"));
        assertThat(order.subList(1, 4).stream().sorted().toList(), is(List.of("bookMedia", "briefSales", "prepareCreative")));
        assertThat(done.state(), containsString("\"mediaBooking\":\"bk-" + id + ":bookMedia\""));
    }

    @Test
    void theMediaPlannerIsCalledWithTheStepRunAsIdempotencyKeyAcrossStepRetries() {
        MediaPlanner.shared().reset();
        // The first step run meets a planner that answers 503 (no retry inside the call), the
        // step's own retry policy runs it again, and the planner sees the same key both times.
        MediaPlanner.shared().then(new LocalService.Reply(503, "{}"));
        try {
            UUID id = engine.start("campaign-launch", "{\"name\":\"summer\",\"budget\":50}", "ivy", null).execution().id();
            ExecutionSnapshot done = EngineProbe.awaitStatus(engine, id, ExecutionStatus.COMPLETED);

            List<LocalService.Request> calls = MediaPlanner.shared().requests();
            assertThat(calls.size(), is(2));
            assertThat(calls.get(0).idempotencyKey(), is(id + ":bookMedia"));
            assertThat(calls.get(1).idempotencyKey(), is(id + ":bookMedia"));
            assertThat(calls.get(1).path(), is("/bookings"));
            assertThat(calls.get(1).body(), is("{\"campaign\":\"summer\",\"budget\":50}"));
            assertThat(done.state(), containsString("\"mediaBooking\":\"bk-" + id + ":bookMedia\""));
            assertThat(engine.history(id, 0, 100).stream().map(EventSnapshot::detail).toList().toString(),
                    containsString("service media answered 503 to POST /bookings"));
        } finally {
            MediaPlanner.restore();
        }
    }

    @Test
    void aMediaPlannerThatStaysDownFailsTheExecutionWithTheReason() {
        MediaPlanner.shared().reset();
        MediaPlanner.shared().otherwise(r -> new LocalService.Reset());
        try {
            UUID id = engine.start("campaign-launch", "{\"name\":\"autumn\",\"budget\":70}", "ivy", null).execution().id();
            ExecutionSnapshot failed = EngineProbe.awaitStatus(engine, id, ExecutionStatus.FAILED);

            assertThat(failed.error(), is("step bookMedia failed after 2 attempt(s): ServiceCallException: "
                    + "service media unreachable after 3 attempts (connection reset)"));
            // 2 step runs x 3 attempts, every one with the same key
            assertThat(MediaPlanner.shared().requests().size(), is(6));
            assertThat(MediaPlanner.shared().requests().stream().map(LocalService.Request::idempotencyKey).distinct()
                    .toList(), is(List.of(id + ":bookMedia")));
        } finally {
            MediaPlanner.restore();
        }
    }

    @Test
    void invalidCampaignIsRejected() {
        EngineException e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class,
                () -> engine.start("campaign-launch", "{\"name\":\"\",\"budget\":0}", "ivy", null).execution());
        assertThat(e.problem(), is(EngineException.Problem.INVALID_INPUT));
        assertThat(e.getMessage(), containsString("budget"));
        assertThat(e.getMessage(), containsString("name"));
    }
}
