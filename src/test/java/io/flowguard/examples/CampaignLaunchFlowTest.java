package io.flowguard.examples;

import java.time.Duration;
import java.util.List;

import io.flowguard.engine.EngineException;
import io.flowguard.engine.EventSnapshot;
import io.flowguard.examples.CampaignLaunchFlow.MediaBooking;
import io.flowguard.examples.CampaignLaunchFlow.MediaBookingRequest;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.testkit.FlowRun;
import io.flowguard.testkit.FlowTestKit;
import io.flowguard.testkit.OutboundCall;
import io.flowguard.testkit.ServiceStub;
import io.flowguard.testkit.StubReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * campaign-launch, as its author tests it: the three branches after the plan, the all-of join
 * before the launch, and the media branch's booking through a stub of the {@code media} service
 * (the test kit's, on the engine's outbound seam), including the step's retry after its backoff.
 * The same bookings through the real HTTP client are {@link CampaignLaunchMediaPlannerTest}'s.
 */
class CampaignLaunchFlowTest {

    /** bookMedia's own retry policy: two attempts, a second apart. */
    private static final Duration STEP_BACKOFF = Duration.ofSeconds(1);

    /** A media planner that books: its reference is made of the call's idempotency key. */
    private static final ServiceStub BOOKS = call -> StubReply.ok(new MediaBooking("bk-" + call.idempotencyKey()));

    private static final FlowTestKit kit = FlowTestKit.builder().flow(CampaignLaunchFlow.class)
            .stub("media", BOOKS).build();

    @BeforeEach
    void fresh() {
        kit.reset();
    }

    @AfterAll
    static void close() {
        kit.close();
    }

    @Test
    void launchRunsOnceAfterEveryBranch() {
        FlowRun run = kit.start(new CampaignInput("spring", 1000));

        run.assertStatus(ExecutionStatus.COMPLETED);
        List<String> steps = run.stepsRun();
        assertThat(steps.size(), is(5));
        assertThat(steps.get(0), is("plan"));
        assertThat(steps.subList(1, 4).stream().sorted().toList(), is(List.of("bookMedia", "briefSales", "prepareCreative")));
        assertThat(steps.get(4), is("launch"));
        Campaign done = run.state(Campaign.class);
        assertThat(done.launched, is(true));
        assertThat(done.mediaBooking, is("bk-" + run.id() + ":bookMedia"));
        OutboundCall call = kit.calls("media").get(0);
        assertThat(kit.calls("media").size(), is(1));
        assertThat(call.path(), is("/bookings"));
        assertThat(call.body(MediaBookingRequest.class), is(new MediaBookingRequest("spring", 1000)));
        assertThat(call.idempotencyKey(), is(run.id() + ":bookMedia"));
    }

    @Test
    void aBookingThatFailsIsRetriedWhenTheStepsBackoffHasPassedWithTheSameKey() {
        kit.stub("media", ServiceStub.replying(StubReply.status(503), StubReply.ok(new MediaBooking("bk-2"))));
        FlowRun run = kit.start(new CampaignInput("summer", 50));
        run.assertStatus(ExecutionStatus.RUNNING);
        assertThat(run.nextRunAt().orElseThrow(), is(kit.now().plus(STEP_BACKOFF)));

        kit.advance(STEP_BACKOFF.minusMillis(1));
        run.assertStatus(ExecutionStatus.RUNNING);
        assertThat(kit.calls("media").size(), is(1));
        kit.advance(Duration.ofMillis(1));

        run.assertStatus(ExecutionStatus.COMPLETED);
        assertThat(run.state(Campaign.class).mediaBooking, is("bk-2"));
        assertThat(kit.calls("media").stream().map(OutboundCall::idempotencyKey).toList(),
                is(List.of(run.id() + ":bookMedia", run.id() + ":bookMedia")));
        assertThat(run.history().stream().map(EventSnapshot::detail).toList().toString(),
                containsString("service media answered 503 to POST /bookings"));
        assertThat(run.stepsRun().stream().filter("launch"::equals).count(), is(1L));
    }

    @Test
    void aBookingThatKeepsFailingFailsTheExecutionWithTheReasonAndNeverLaunches() {
        kit.stub("media", ServiceStub.always(StubReply.unreachable()));
        FlowRun run = kit.start(new CampaignInput("autumn", 70));

        run.advanceToNextRun();

        run.assertFailedWith("step_failed");
        assertThat(run.error(), is("step bookMedia failed after 2 attempt(s): ServiceCallException: "
                + "service media unreachable after 1 attempt (stubbed)"));
        assertThat(kit.calls("media").size(), is(2));
        assertThat(run.stepsRun().contains("launch"), is(false));
        assertThat(run.state(Campaign.class).launched, is(false));
    }

    @Test
    void aBookingReplyWithoutAReferenceIsAFailedCall() {
        kit.stub("media", ServiceStub.always(StubReply.ok("{\"booking\":\"\"}")));
        FlowRun run = kit.start(new CampaignInput("winter", 70));

        run.advanceToNextRun().assertFailedWith("step_failed");

        assertThat(run.error(), containsString("service media replied with a body that does not read as MediaBooking"));
        assertThat(run.error(), containsString("booking"));
    }

    @Test
    void aCampaignNeedsANameAndABudgetOfAtLeastOne() {
        EngineException e = assertThrows(EngineException.class, () -> kit.start(new CampaignInput("", 0)));

        assertThat(e.problem(), is(EngineException.Problem.INVALID_INPUT));
        assertThat(e.getMessage(), containsString("budget"));
        assertThat(e.getMessage(), containsString("name"));
        assertThat(kit.engine().list(null, null, 10, 0).size(), is(0));
        kit.start(new CampaignInput("x", 1)).assertStatus(ExecutionStatus.COMPLETED);
    }
}
