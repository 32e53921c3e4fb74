package io.flowguard.examples;

import java.util.List;
import java.util.Map;

import io.flowguard.engine.EventSnapshot;
import io.flowguard.outbound.ServiceDirectory;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.testing.LocalService;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.MediaPlanner;
import io.flowguard.testkit.FlowRun;
import io.flowguard.testkit.FlowTestKit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * campaign-launch booking through a real media planner: a local HTTP server of the test's own
 * ({@link MediaPlanner}), called through the outbound services the service builds from its
 * configuration ({@link ServiceDirectory}: retries, breaker, timeout, bulkhead), which the test
 * kit takes in place of a stub. The step's retry backoff passes when the test moves the kit's
 * clock; the call's own retries wait in real time inside the client, set to a millisecond here
 * ({@code outbound.ServiceCallsTest} covers their timing).
 */
class CampaignLaunchMediaPlannerTest {

    /** The class's planner, booking until a test scripts it otherwise. */
    private static final LocalService planner = MediaPlanner.start();

    private static final FlowTestKit kit = FlowTestKit.builder().flow(CampaignLaunchFlow.class)
            .realServices(flows -> new ServiceDirectory(flows, config(planner.url()))).build();

    private static Config config(String url) {
        return ConfigProviderResolver.instance().getBuilder()
                .withSources(new MapConfigSource("campaign-launch-test", Map.of(
                        "flowguard.services.media.url", url,
                        "flowguard.services.media.retry.delay", "PT0.001S",
                        "flowguard.services.media.retry.jitter", "0",
                        "flowguard.services.media.circuit-breaker.volume", "20")))
                .build();
    }

    /** A planner that books again, and a kit as good as new (its client and breaker built afresh). */
    @BeforeEach
    void fresh() {
        planner.reset();
        planner.otherwise(MediaPlanner::book);
        kit.reset();
    }

    @AfterAll
    static void close() {
        kit.close();
        planner.close();
    }

    @Test
    void theBookingIsThePlannersAndTheLaunchFollows() {
        FlowRun run = kit.start(new CampaignInput("spring", 1000));

        run.assertStatus(ExecutionStatus.COMPLETED);
        assertThat(run.state(Campaign.class).mediaBooking, is("bk-" + run.id() + ":bookMedia"));
        assertThat(planner.requests().size(), is(1));
        assertThat(kit.calls("media").size(), is(1));
    }

    @Test
    void thePlannerIsCalledWithTheStepRunAsIdempotencyKeyAcrossStepRetries() {
        // The first step run meets a planner that answers 503 (no retry inside the call), the
        // step's own retry policy runs it again, and the planner sees the same key both times.
        planner.then(new LocalService.Reply(503, "{}"));
        FlowRun run = kit.start(new CampaignInput("summer", 50));
        assertThat(planner.requests().size(), is(1));
        run.assertStatus(ExecutionStatus.RUNNING);

        run.advanceToNextRun();

        run.assertStatus(ExecutionStatus.COMPLETED);
        List<LocalService.Request> calls = planner.requests();
        assertThat(calls.size(), is(2));
        assertThat(calls.get(0).idempotencyKey(), is(run.id() + ":bookMedia"));
        assertThat(calls.get(1).idempotencyKey(), is(run.id() + ":bookMedia"));
        assertThat(calls.get(1).path(), is("/bookings"));
        assertThat(calls.get(1).body(), is("{\"campaign\":\"summer\",\"budget\":50}"));
        assertThat(run.state(Campaign.class).mediaBooking, is("bk-" + run.id() + ":bookMedia"));
        assertThat(run.history().stream().map(EventSnapshot::detail).toList().toString(),
                containsString("service media answered 503 to POST /bookings"));
    }

    @Test
    void aPlannerThatStaysDownFailsTheExecutionWithTheReason() {
        planner.otherwise(r -> new LocalService.Reset());
        FlowRun run = kit.start(new CampaignInput("autumn", 70));
        assertThat("one step run: the call's three attempts", planner.requests().size(), is(3));

        run.advanceToNextRun();

        run.assertFailedWith("step_failed");
        assertThat(run.error(), is("step bookMedia failed after 2 attempt(s): ServiceCallException: "
                + "service media unreachable after 3 attempts (connection reset)"));
        // 2 step runs x 3 attempts, every one with the same key
        assertThat(planner.requests().size(), is(6));
        assertThat(planner.requests().stream().map(LocalService.Request::idempotencyKey).distinct().toList(),
                is(List.of(run.id() + ":bookMedia")));
    }
}
