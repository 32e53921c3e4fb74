package io.flowguard.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Retry;
import io.flowguard.flow.Start;
import io.flowguard.flow.StepContext;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.testkit.FlowRun;
import io.flowguard.testkit.FlowTestKit;
import io.flowguard.testkit.OpenAsk;
import io.flowguard.testkit.ServiceStub;
import io.flowguard.testkit.StubReply;
import jakarta.enterprise.inject.Vetoed;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The upgrade mistakes of issue 19, made as a team makes them, with the test kit: an expense
 * approval waits for its manager while a new build is deployed on the same database, one that
 * renamed a step of the released version, or bumped the version in place so that version 1 is
 * no longer built. Each ends in a clear outcome.
 *
 * <p>Deployed over the waiting execution, the new build refuses to start, naming flow, version,
 * step and count, and changes nothing; with {@code fail-executions} (the operator's choice) it
 * fails the execution at startup. During a rolling deploy the new build may pass its check before
 * an old instance parks an execution it then meets at run time: an answer is refused as a
 * conflict (never an unexpected error), the deadline or the retry fails it. Either way it FAILS
 * with {@code unknown_step} or {@code unknown_flow}, its ask is closed, its owner's quota slot
 * comes back (the cap is 1 here, so the next start shows it), and nothing touches it again.
 * Keeping version 1 registered beside version 2 works.
 */
class UpgradeWhileWaitingTest {

    private static final Duration MANAGER_WAIT = Duration.ofMinutes(5);

    private static final FlowTestKit kit = kit(OnMissing.REFUSE);
    private static final FlowTestKit failing = kit(OnMissing.FAIL_EXECUTIONS);

    private static FlowTestKit kit(OnMissing choice) {
        return FlowTestKit.builder().flow(ExpenseApproval.class).agentRoles("manager").maxActivePerOwner(1)
                .stub("payments", ServiceStub.always(StubReply.ok("{}"))).onMissing(choice).build();
    }

    @BeforeEach
    void fresh() {
        kit.reset();
        failing.reset();
    }

    @AfterAll
    static void close() {
        kit.close();
        failing.close();
    }

    /** Started on the released build, waiting for the manager; its owner is at the cap. */
    private static FlowRun waitingForTheManager() {
        return waitingForTheManager(kit);
    }

    private static FlowRun waitingForTheManager(FlowTestKit kit) {
        FlowRun run = kit.start(new ExpenseInput("train ticket", 120));
        run.assertStatus(ExecutionStatus.WAITING_AGENT).assertStepsRun("submit", "askManager");
        EngineException atCap = assertThrows(EngineException.class, () -> kit.start(new ExpenseInput("hotel", 300)));
        assertThat(atCap.problem(), is(EngineException.Problem.QUOTA_EXCEEDED));
        return run;
    }

    /**
     * A rolling deploy: the new build starts, and passes its check, while the released build still
     * serves; the released build then parks an execution at the manager's question and is replaced.
     */
    private static FlowRun waitingWhenTheOldBuildIsReplacedBy(Class<?> newBuild) {
        kit.startRollout(newBuild);
        FlowRun run = waitingForTheManager();
        kit.finishRollout();
        return run;
    }

    @Test
    void aStepRenamedInTheSameVersionRefusesTheRedeployNamingFlowVersionStepAndCount() {
        FlowRun run = waitingForTheManager();
        long version = run.execution().version();

        DeploymentRefused refused = assertThrows(DeploymentRefused.class,
                () -> kit.redeploy(ExpenseApprovalRenamed.class));

        assertThat(refused.report().missingSteps(),
                contains(new DeploymentReport.MissingStep("expense-approval", 1, "askManager", 1)));
        assertThat(refused.getMessage(), containsString("flow expense-approval version 1 has no step askManager "
                + "(1 unfinished execution wait at it or will run it)"));
        run.assertStatus(ExecutionStatus.WAITING_AGENT);
        assertThat("nothing changed", run.execution().version(), is(version));
        assertThat(run.openAsks().size(), is(1));
    }

    @Test
    void aVersionBumpedInPlaceRefusesTheRedeployNamingTheVersionAndCount() {
        FlowRun run = waitingForTheManager();
        long version = run.execution().version();

        DeploymentRefused refused = assertThrows(DeploymentRefused.class, () -> kit.redeploy(ExpenseApprovalV2.class));

        assertThat(refused.report().missingVersions(),
                contains(new DeploymentReport.MissingVersion("expense-approval", 1, 1)));
        assertThat(refused.getMessage(), containsString("flow expense-approval version 1 is not registered "
                + "(1 unfinished execution)"));
        run.assertStatus(ExecutionStatus.WAITING_AGENT);
        assertThat("nothing changed", run.execution().version(), is(version));
    }

    @Test
    void withFailExecutionsTheRedeployOverAStepRenamedInTheSameVersionFailsTheExecutionWithUnknownStep() {
        FlowRun run = waitingForTheManager(failing);

        failing.redeploy(ExpenseApprovalRenamed.class);

        assertFailedAlone(failing, run, "unknown_step");
    }

    @Test
    void withFailExecutionsTheRedeployOverAVersionNoLongerBuiltFailsTheExecutionWithUnknownFlow() {
        FlowRun run = waitingForTheManager(failing);

        failing.redeploy(ExpenseApprovalV2.class);

        assertFailedAlone(failing, run, "unknown_flow");
        assertThat(failing.engine().unknownFlows(), is(1L));
    }

    @Test
    void anAnswerToAStepRenamedInTheSameVersionIsAConflictAndFailsTheExecutionWithUnknownStep() {
        FlowRun run = waitingWhenTheOldBuildIsReplacedBy(ExpenseApprovalRenamed.class);
        OpenAsk ask = run.openAsk("manager");

        EngineException refused = assertThrows(EngineException.class,
                () -> ask.answerAs("mona", new Decision(true)));

        assertThat(refused.problem(), is(EngineException.Problem.CONFLICT));
        assertThat(refused.getMessage(), containsString("unknown_step"));
        assertFailedAlone(run, "unknown_step");
    }

    @Test
    void theDeadlineOfAStepRenamedInTheSameVersionFailsTheExecutionWithUnknownStep() {
        FlowRun run = waitingWhenTheOldBuildIsReplacedBy(ExpenseApprovalRenamed.class);
        OpenAsk ask = run.openAsk("manager");

        ask.letExpire();

        assertFailedAlone(run, "unknown_step");
    }

    @Test
    void aRetryOfAStepRenamedSinceFailsTheExecutionWithUnknownStepWhenItsBackoffEnds() {
        kit.stub("payments", ServiceStub.replying(StubReply.status(503), StubReply.ok("{}")));
        kit.startRollout(ExpenseApprovalRenamed.class);
        FlowRun run = waitingForTheManager();
        run.openAsk("manager").answerAs("mona", new Decision(true));
        run.assertStatus(ExecutionStatus.RUNNING).assertStepsRun("submit", "askManager", "decide");

        kit.finishRollout();
        run.advanceToNextRun();

        assertFailedAlone(run, "unknown_step");
        assertThat("the renamed step's old name never ran again", kit.calls("payments").size(), is(1));
    }

    @Test
    void anAnswerToAVersionNoLongerBuiltIsAConflictAndFailsTheExecutionWithUnknownFlow() {
        FlowRun run = waitingWhenTheOldBuildIsReplacedBy(ExpenseApprovalV2.class);
        OpenAsk ask = run.openAsk("manager");

        EngineException refused = assertThrows(EngineException.class,
                () -> ask.answerAs("mona", new Decision(true)));

        assertThat(refused.problem(), is(EngineException.Problem.CONFLICT));
        assertThat(refused.getMessage(), containsString("unknown_flow"));
        assertFailedAlone(run, "unknown_flow");
        assertThat(kit.engine().unknownFlows(), is(1L));
    }

    @Test
    void theDeadlineOfAVersionNoLongerBuiltFailsTheExecutionWithUnknownFlow() {
        FlowRun run = waitingWhenTheOldBuildIsReplacedBy(ExpenseApprovalV2.class);
        OpenAsk ask = run.openAsk("manager");

        ask.letExpire();

        assertFailedAlone(run, "unknown_flow");
        assertThat(run.history().stream().map(EventSnapshot::type).toList(), hasItem("TIMED_OUT"));
    }

    @Test
    void withBothVersionsRegisteredTheWaitingExecutionFinishesOnVersionOneAndNewOnesStartOnTwo() {
        FlowRun run = waitingForTheManager();
        OpenAsk ask = run.openAsk("manager");

        kit.redeploy(ExpenseApproval.class, ExpenseApprovalV2.class);
        ask.answerAs("mona", new Decision(true));

        run.assertStatus(ExecutionStatus.COMPLETED).assertStepsRun("submit", "askManager", "decide", "pay");
        assertThat(run.execution().flowVersion(), is(1));
        assertThat(run.state(Expense.class).decidedBy, is("mona"));
        FlowRun next = kit.start(new ExpenseInput("hotel", 300));
        assertThat(next.execution().flowVersion(), is(2));
    }

    /**
     * FAILED with that error, no open ask, not scheduled, the owner's slot back (a new start
     * under the cap of 1 runs), and untouched by anything due later.
     */
    private static void assertFailedAlone(FlowRun run, String errorType) {
        assertFailedAlone(kit, run, errorType);
    }

    private static void assertFailedAlone(FlowTestKit kit, FlowRun run, String errorType) {
        run.assertFailedWith(errorType);
        assertThat(run.error(), is(errorType.equals("unknown_flow")
                ? "the flow version this execution was started on is not registered"
                : "a step this execution waits on or runs next is not part of its flow"));
        assertThat(run.openAsks().size(), is(0));
        assertThat(run.nextRunAt().isPresent(), is(false));
        assertThat(run.execution().leaseOwner(), nullValue());
        long version = run.execution().version();

        FlowRun next = kit.start("expense-approval", new ExpenseInput("hotel", 300));
        kit.advance(MANAGER_WAIT.multipliedBy(2));

        assertThat("the slot came back", next.status(), is(ExecutionStatus.TIMED_OUT));
        assertThat("not touched again", run.execution().version(), is(version));
    }

    // ---- the flow, as released and as changed ------------------------------------------------------
    // @Vetoed: only the kit registers these; the service the @HelidonTest classes boot in this JVM
    // discovers @Flow classes through CDI, and must not find two builds of one version.

    /**
     * What a caller gives.
     *
     * @param item   what was bought
     * @param amount its cost
     */
    public record ExpenseInput(@NotBlank String item, @Positive long amount) {
    }

    /**
     * The manager's answer.
     *
     * @param approved the decision
     */
    public record Decision(@NotNull Boolean approved) {
    }

    /** The state: the expense, then the decision and the payment. */
    public static class Expense {
        /** What was bought. */
        public String item;
        /** Its cost. */
        public long amount;
        /** What happened, in order. */
        public List<String> log = new ArrayList<>();
        /** Who decided. */
        public String decidedBy;

        /** For reading the state back. */
        public Expense() {
        }

        /** @param input the caller's expense */
        public Expense(ExpenseInput input) {
            this.item = input.item();
            this.amount = input.amount();
        }
    }

    /** Version 1 as released: the manager decides, then the expense is paid. */
    @Flow(name = "expense-approval", version = 1, input = ExpenseInput.class, state = Expense.class,
            services = "payments")
    @Vetoed
    public static class ExpenseApproval {
        @Start
        void submit(Expense e) {
            e.log.add("submitted");
        }

        @Listen("submit")
        @AsksAgent(value = "manager", answer = Decision.class)
        AgentAsk askManager(Expense e) {
            return AgentAsk.to("manager", "Approve " + e.item + "?", e).within(MANAGER_WAIT);
        }

        @Listen("askManager")
        void decide(Expense e, AgentAnswer answer) {
            e.decidedBy = answer.answeredBy();
            e.log.add(answer.isTrue("approved") ? "approved" : "rejected");
        }

        @Listen("decide")
        @Retry(maxAttempts = 2, initialDelayMillis = 1000)
        void pay(Expense e, StepContext context) {
            context.call("payments", "/payments", e);
            e.log.add("paid");
        }
    }

    /** Version 1 changed in place (the mistake): the ask and the payment step renamed. */
    @Flow(name = "expense-approval", version = 1, input = ExpenseInput.class, state = Expense.class,
            services = "payments")
    @Vetoed
    public static class ExpenseApprovalRenamed {
        @Start
        void submit(Expense e) {
            e.log.add("submitted");
        }

        @Listen("submit")
        @AsksAgent(value = "manager", answer = Decision.class)
        AgentAsk askApprover(Expense e) {
            return AgentAsk.to("manager", "Approve " + e.item + "?", e).within(MANAGER_WAIT);
        }

        @Listen("askApprover")
        void decide(Expense e, AgentAnswer answer) {
            e.decidedBy = answer.answeredBy();
        }

        @Listen("decide")
        void payOut(Expense e, StepContext context) {
            context.call("payments", "/payments", e);
        }
    }

    /** Version 2, built instead of version 1 (the other mistake: version 1 is gone). */
    @Flow(name = "expense-approval", version = 2, input = ExpenseInput.class, state = Expense.class,
            services = "payments")
    @Vetoed
    public static class ExpenseApprovalV2 {
        @Start
        void submit(Expense e) {
            e.log.add("submitted");
        }

        @Listen("submit")
        @AsksAgent(value = "manager", answer = Decision.class)
        AgentAsk askManager(Expense e) {
            return AgentAsk.to("manager", "Approve " + e.item + " (" + e.amount + ")?", e).within(MANAGER_WAIT);
        }

        @Listen("askManager")
        void decide(Expense e, AgentAnswer answer) {
            e.decidedBy = answer.answeredBy();
        }
    }
}
