package io.flowguard.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.flowguard.examples.CampaignLaunchFlow;
import io.flowguard.outbound.ServiceDirectory;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.testing.LocalService;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.MediaPlanner;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * campaign-launch fans out to three branches and joins them with all-of before the launch; its
 * media branch books through the {@code media} service, a real local HTTP server of the test's
 * own ({@link MediaPlanner}), called through the outbound services the service would build from
 * its configuration. No container: the step's retry backoff passes when the test moves the
 * engine's clock. (The call's own retries wait in real time, inside the client: they are set to
 * a millisecond here; {@code outbound.ServiceCallsTest} covers their timing.)
 */
class CampaignLaunchFlowTest {

    /** bookMedia's own retry policy: two attempts, a second apart. */
    private static final Duration STEP_BACKOFF = Duration.ofSeconds(1);

    private final LocalService planner = MediaPlanner.start();
    private static EngineHarness harness;
    private final Config config = ConfigProviderResolver.instance().getBuilder()
            .withSources(new MapConfigSource("campaign-launch-test", Map.of(
                    "flowguard.services.media.url", planner.url(),
                    "flowguard.services.media.retry.delay", "PT0.001S",
                    "flowguard.services.media.retry.jitter", "0",
                    "flowguard.services.media.circuit-breaker.volume", "20")))
            .build();
    private final Engine engine = harness.instance("instance-a").flow(CampaignLaunchFlow.class)
            .services(flows -> new ServiceDirectory(flows, config)).build();

    @BeforeAll
    static void open() {
        harness = new EngineHarness();
    }

    @AfterAll
    static void close() {
        harness.close();
    }

    @BeforeEach
    void emptyDatabase() {
        harness.clear();
    }

    @AfterEach
    void closePlanner() {
        planner.close();
    }

    private UUID start(String name, int budget) {
        return engine.start("campaign-launch", "{\"name\":\"" + name + "\",\"budget\":" + budget + "}", "ivy", null)
                .execution().id();
    }

    private ExecutionSnapshot status(UUID id) {
        return engine.get(id).orElseThrow();
    }

    /** Moves the clock past bookMedia's retry backoff and runs what is due. */
    private void passStepBackoff() {
        harness.clock.advance(STEP_BACKOFF);
        engine.runDue();
    }

    @Test
    void launchRunsOnceAfterEveryBranch() {
        UUID id = start("spring", 1000);

        engine.runDue();

        ExecutionSnapshot done = status(id);
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(done.state(), containsString("\"launched\":true"));
        List<EventSnapshot> completed = engine.history(id, 0, 100).stream()
                .filter(v -> v.type().equals("STEP_COMPLETED")).toList();
        List<String> order = completed.stream().map(EventSnapshot::step).toList();
        assertThat(order.size(), is(5));
        assertThat(order.get(0), is("plan"));
        assertThat(order.get(4), is("launch"));
        assertThat(order.subList(1, 4).stream().sorted().toList(), is(List.of("bookMedia", "briefSales", "prepareCreative")));
        assertThat(done.state(), containsString("\"mediaBooking\":\"bk-" + id + ":bookMedia\""));
        assertThat(planner.requests().size(), is(1));
    }

    @Test
    void theMediaPlannerIsCalledWithTheStepRunAsIdempotencyKeyAcrossStepRetries() {
        // The first step run meets a planner that answers 503 (no retry inside the call), the
        // step's own retry policy runs it again, and the planner sees the same key both times.
        planner.then(new LocalService.Reply(503, "{}"));
        UUID id = start("summer", 50);

        engine.runDue();
        assertThat(planner.requests().size(), is(1));
        assertThat(status(id).status(), is(ExecutionStatus.RUNNING));
        passStepBackoff();

        ExecutionSnapshot done = status(id);
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        List<LocalService.Request> calls = planner.requests();
        assertThat(calls.size(), is(2));
        assertThat(calls.get(0).idempotencyKey(), is(id + ":bookMedia"));
        assertThat(calls.get(1).idempotencyKey(), is(id + ":bookMedia"));
        assertThat(calls.get(1).path(), is("/bookings"));
        assertThat(calls.get(1).body(), is("{\"campaign\":\"summer\",\"budget\":50}"));
        assertThat(done.state(), containsString("\"mediaBooking\":\"bk-" + id + ":bookMedia\""));
        assertThat(engine.history(id, 0, 100).stream().map(EventSnapshot::detail).toList().toString(),
                containsString("service media answered 503 to POST /bookings"));
    }

    @Test
    void aMediaPlannerThatStaysDownFailsTheExecutionWithTheReason() {
        planner.otherwise(r -> new LocalService.Reset());
        UUID id = start("autumn", 70);

        engine.runDue();
        assertThat("one step run: the call's three attempts", planner.requests().size(), is(3));
        passStepBackoff();

        ExecutionSnapshot failed = status(id);
        assertThat(failed.status(), is(ExecutionStatus.FAILED));
        assertThat(failed.error(), is("step bookMedia failed after 2 attempt(s): ServiceCallException: "
                + "service media unreachable after 3 attempts (connection reset)"));
        // 2 step runs x 3 attempts, every one with the same key
        assertThat(planner.requests().size(), is(6));
        assertThat(planner.requests().stream().map(LocalService.Request::idempotencyKey).distinct().toList(),
                is(List.of(id + ":bookMedia")));
    }

    @Test
    void invalidCampaignIsRejected() {
        EngineException e = assertThrows(EngineException.class,
                () -> engine.start("campaign-launch", "{\"name\":\"\",\"budget\":0}", "ivy", null));
        assertThat(e.problem(), is(EngineException.Problem.INVALID_INPUT));
        assertThat(e.getMessage(), containsString("budget"));
        assertThat(e.getMessage(), containsString("name"));
        assertThat(engine.list("ivy", null, 10, 0).size(), is(0));
    }
}
