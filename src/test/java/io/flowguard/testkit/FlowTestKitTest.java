package io.flowguard.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.flowguard.examples.Approval;
import io.flowguard.examples.CampaignInput;
import io.flowguard.examples.CampaignLaunchFlow;
import io.flowguard.examples.FeatureApprovalFlow;
import io.flowguard.examples.FeatureInput;
import io.flowguard.engine.DeploymentRefused;
import io.flowguard.engine.DeploymentReport;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.testflows.AlwaysFailsFlow;
import io.flowguard.testflows.TestInput;
import io.flowguard.testflows.WaitFlow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the kit promises a flow author beyond running the engine: checks that fail with a
 * description of the execution, moving time to the exact instant a wait or a retry is due, stubs
 * only for declared services and a clear failure for a call nobody stubbed, isolation between
 * kits, and a reset that leaves nothing of the previous test.
 */
class FlowTestKitTest {

    private static final FlowTestKit kit = FlowTestKit.builder().flow(FeatureApprovalFlow.class)
            .flow(WaitFlow.class).flow(AlwaysFailsFlow.class).build();

    @BeforeEach
    void fresh() {
        kit.reset();
    }

    @AfterAll
    static void close() {
        kit.close();
    }

    private static FlowRun waitingForTheCeo() {
        return kit.start("feature-approval", new FeatureInput("dark mode", null, 2_000_000, 3));
    }

    @Test
    void aFailedStatusCheckDescribesTheExecution() {
        FlowRun run = waitingForTheCeo();

        AssertionError e = assertThrows(AssertionError.class, () -> run.assertStatus(ExecutionStatus.COMPLETED));

        assertThat(e.getMessage(), is("expected COMPLETED but execution " + run.id() + " of feature-approval v1 is "
                + "WAITING_AGENT; steps run [analyze, route, askCeo]; routes [ceo_approval]; open asks [ceo at askCeo "
                + "until 2030-01-01T09:01:00Z]"));
        run.assertStatus(ExecutionStatus.WAITING_AGENT);
    }

    @Test
    void stepAndRouteChecksFailOnAnyOtherListOrOrder() {
        FlowRun run = waitingForTheCeo();

        run.assertStepsRun("analyze", "route", "askCeo").assertRoutes("ceo_approval");
        assertThrows(AssertionError.class, () -> run.assertStepsRun("analyze", "route"));
        assertThrows(AssertionError.class, () -> run.assertStepsRun("route", "analyze", "askCeo"));
        assertThrows(AssertionError.class, () -> run.assertStepsRun("analyze", "route", "askCeo", "recordDecision"));
        AssertionError routes = assertThrows(AssertionError.class, () -> run.assertRoutes("auto_approve"));
        assertThat(routes.getMessage(), containsString("expected routes [auto_approve] but execution"));
    }

    @Test
    void anAskToARoleNotAskedIsAnAssertionNamingTheOpenOnes() {
        FlowRun run = waitingForTheCeo();

        AssertionError e = assertThrows(AssertionError.class, () -> run.openAsk("cto"));

        assertThat(e.getMessage(), containsString("expected one open ask to role cto, found 0"));
        assertThat(e.getMessage(), containsString("open asks [ceo at askCeo"));
        assertThat(kit.openAsks("ceo").size(), is(1));
        assertThat(kit.openAsks("cto").size(), is(0));
    }

    @Test
    void theAnswerIsTheSubjectsAndTheAskIsClosedAfterIt() {
        FlowRun run = waitingForTheCeo();
        OpenAsk ask = run.openAsk("ceo");
        assertThat(ask.question(), containsString("Approve this feature?"));

        ask.answerAs("carol", Map.of("approved", true));

        assertThat(run.openAsks().size(), is(0));
        assertThat(run.history().stream().filter(v -> v.type().equals("ANSWERED")).findFirst().orElseThrow().actor(),
                is("carol"));
    }

    @Test
    void aWaitIsOpenUntilTheMillisecondOfItsDeadline() {
        FlowRun run = waitingForTheCeo();
        Instant deadline = run.openAsk("ceo").deadline();
        assertThat(deadline, is(FlowTestKit.START.plus(Duration.ofSeconds(60))));

        kit.advanceTo(deadline.minusMillis(1));
        run.assertStatus(ExecutionStatus.WAITING_AGENT);

        run.openAsk("ceo").letExpire();
        assertThat(kit.now(), is(deadline));
        run.assertStatus(ExecutionStatus.COMPLETED).assertStepsRun("analyze", "route", "askCeo", "noAnswer");
    }

    @Test
    void aRetryRunsAtTheEndOfItsBackoffAndNotBefore() {
        FlowRun run = kit.start("test-always-fails", new TestInput("k", null, null));
        run.assertStatus(ExecutionStatus.RUNNING);
        Instant due = run.nextRunAt().orElseThrow();
        assertThat(due, is(FlowTestKit.START.plusMillis(20)));

        kit.advanceTo(due.minusMillis(1));
        run.assertStatus(ExecutionStatus.RUNNING);
        run.advanceToNextRun();

        run.assertFailedWith("step_failed");
        assertThat(run.error(), is("step doomed failed after 2 attempt(s): IllegalArgumentException: the ledger is closed"));
        AssertionError notScheduled = assertThrows(AssertionError.class, run::advanceToNextRun);
        assertThat(notScheduled.getMessage(), containsString("is not scheduled to run later"));
        AssertionError otherError = assertThrows(AssertionError.class, () -> run.assertFailedWith("unknown_flow"));
        assertThat(otherError.getMessage(), containsString("(step_failed: step doomed failed"));
    }

    @Test
    void theOperatorsAgentWaitsApply() {
        try (FlowTestKit waits = FlowTestKit.builder().flow(FeatureApprovalFlow.class).flow(WaitFlow.class)
                .agentWaits(Duration.ofSeconds(10), Duration.ofSeconds(20)).build()) {
            FlowRun unasked = waits.start("feature-approval", new FeatureInput("x", null, 2_000_000, 3));
            FlowRun long365Days = waits.start("test-wait", new TestInput("k", null, null));

            assertThat(unasked.openAsk("ceo").deadline(), is(FlowTestKit.START.plusSeconds(10)));
            assertThat(long365Days.openAsk("test_lead").deadline(), is(FlowTestKit.START.plusSeconds(20)));
        }
    }

    @Test
    void aStartWithoutAFlowNameNeedsAKitOfOneFlow() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> kit.start(new TestInput("k", null, null)));

        assertThat(e.getMessage(), is("this kit registers [feature-approval, test-always-fails, test-wait]: name the flow to start"));
    }

    @Test
    void resetLeavesNothingOfThePreviousTest() {
        FlowRun before = waitingForTheCeo();
        kit.advance(Duration.ofSeconds(5));

        kit.reset();

        assertThat(kit.now(), is(FlowTestKit.START));
        assertThat(kit.engine().get(before.id()).isPresent(), is(false));
        assertThat(kit.openAsks("ceo").size(), is(0));
        assertThat(kit.engine().list(null, null, 10, 0).size(), is(0));
    }

    @Test
    void aRolloutIsStartedBeforeItIsFinishedAndOneAtATime() {
        IllegalStateException none = assertThrows(IllegalStateException.class, kit::finishRollout);
        assertThat(none.getMessage(), is("no rollout is under way: startRollout first"));

        kit.startRollout(FeatureApprovalFlow.class);
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> kit.startRollout(FeatureApprovalFlow.class));
        assertThat(twice.getMessage(), is("a rollout is under way: finish it first"));
        FlowRun started = waitingForTheCeo();
        kit.finishRollout();

        assertThat(kit.engine().flows().flows().size(), is(1));
        started.assertStatus(ExecutionStatus.WAITING_AGENT);
    }

    @Test
    void aRolloutWhoseNewBuildRefusesLeavesTheRunningBuildServing() {
        FlowRun waiting = kit.start("test-wait", new TestInput("k", null, null));

        DeploymentRefused refused = assertThrows(DeploymentRefused.class,
                () -> kit.startRollout(FeatureApprovalFlow.class));

        assertThat(refused.report().missingVersions(), is(List.of(new DeploymentReport.MissingVersion("test-wait", 1, 1))));
        waiting.openAsk("test_lead").answerAs("lead", Map.of("ok", true));
        waiting.assertStatus(ExecutionStatus.COMPLETED);
        kit.startRollout(FeatureApprovalFlow.class).finishRollout();
    }

    @Test
    void twoKitsShareNothing() {
        try (FlowTestKit other = FlowTestKit.of(FeatureApprovalFlow.class)) {
            FlowRun here = waitingForTheCeo();
            FlowRun there = other.start(new FeatureInput("x", null, 2_000_000, 3));

            assertThat(other.engine().get(here.id()).isPresent(), is(false));
            assertThat(kit.engine().get(there.id()).isPresent(), is(false));
            there.openAsk("ceo").answerAs("carol", new Approval(true, "yes"));
            here.assertStatus(ExecutionStatus.WAITING_AGENT);
        }
    }

    @Test
    void aStubMustBeForAServiceAFlowDeclares() {
        IllegalArgumentException atBuild = assertThrows(IllegalArgumentException.class,
                () -> FlowTestKit.builder().flow(CampaignLaunchFlow.class).stub("medai", call -> StubReply.ok("{}"))
                        .build());
        assertThat(atBuild.getMessage(), is("no registered flow declares service 'medai' (declared: [media])"));

        IllegalArgumentException later = assertThrows(IllegalArgumentException.class,
                () -> kit.stub("media", call -> StubReply.ok("{}")));
        assertThat(later.getMessage(), is("no registered flow declares service 'media' (declared: [])"));
    }

    @Test
    void aCallToAServiceNobodyStubbedFailsTheStepSayingSo() {
        try (FlowTestKit campaigns = FlowTestKit.of(CampaignLaunchFlow.class)) {
            FlowRun run = campaigns.start(new CampaignInput("spring", 10)).advanceToNextRun();

            run.assertFailedWith("step_failed");
            assertThat(run.error(), containsString("service media is not stubbed in this test kit"));
            assertThat(campaigns.calls("media").size(), is(2));
        }
    }

    @Test
    void stubsAnswerCallsInOrderAndThenRepeatTheLast() {
        ServiceStub stub = ServiceStub.replying(StubReply.status(500), StubReply.ok("{\"n\":2}"));
        OutboundCall call = new OutboundCall("media", "/x", "{}", "k", 1);

        assertThat(stub.answer(call).toString(), is("fails: answered 500"));
        assertThat(stub.answer(call).toString(), is("200 {\"n\":2}"));
        assertThat(stub.answer(call).toString(), is("200 {\"n\":2}"));
        assertThrows(IllegalArgumentException.class, () -> StubReply.status(302));
        assertThrows(IllegalArgumentException.class, () -> StubReply.status(199));
        assertThat(StubReply.status(299).toString(), is("299 "));
        assertThat(StubReply.status(400).toString(), is("fails: answered 400"));
    }

    @Test
    void theManualClockMovesWhenToldAndAdvancingToAnInstantNeverGoesBack() {
        ManualClock clock = new ManualClock(FlowTestKit.START);

        assertThat(clock.advanceTo(FlowTestKit.START.minusMillis(1)), is(FlowTestKit.START));
        assertThat(clock.advanceTo(FlowTestKit.START.plusMillis(1)), is(FlowTestKit.START.plusMillis(1)));
        clock.advance(Duration.ofMillis(-2));
        assertThat("set back", clock.instant(), is(FlowTestKit.START.minusMillis(1)));
        assertThat(List.of(clock.getZone().getId()), is(List.of("Z")));
    }
}
