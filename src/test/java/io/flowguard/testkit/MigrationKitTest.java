package io.flowguard.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.flowguard.engine.EngineException;
import io.flowguard.engine.MigrationReport;
import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.MigratesFrom;
import io.flowguard.flow.Start;
import io.flowguard.flow.StepMapping;
import io.flowguard.store.ExecutionStatus;
import jakarta.enterprise.inject.Vetoed;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A flow author tests the migration of their version 2 with the kit, as writing-flows.md shows:
 * executions wait on version 1, the new build registers both versions, the dry run says what
 * would move, the migration moves it, and the moved execution finishes on version 2.
 */
class MigrationKitTest {

    private static final FlowTestKit kit = FlowTestKit.builder().flow(ExpenseApproval.class).agentRoles("manager")
            .build();

    @BeforeEach
    void fresh() {
        kit.reset();
    }

    @AfterAll
    static void close() {
        kit.close();
    }

    @Test
    void anExpenseWaitingForItsManagerMovesToVersionTwoAndFinishesThere() {
        FlowRun run = kit.start(new ExpenseInput("train ticket", 120));
        run.assertStatus(ExecutionStatus.WAITING_AGENT).assertStepsRun("submit", "askManager");

        kit.redeploy(ExpenseApproval.class, ExpenseApprovalV2.class);
        MigrationReport dryRun = kit.dryRunMigration("expense-approval", 1, 2);
        assertThat(dryRun.moved(), contains(run.id()));
        assertThat(run.execution().flowVersion(), is(1));

        MigrationReport migrated = kit.migrate("expense-approval", 1, 2);

        assertThat(migrated.moved(), contains(run.id()));
        assertThat(migrated.cannot(), is(empty()));
        assertThat(migrated.remaining(), is(0L));
        assertThat(run.execution().flowVersion(), is(2));
        assertThat(run.state(ExpenseV2.class).currency, is("EUR"));
        OpenAsk ask = run.openAsk("manager");
        assertThat(ask.step(), is("askApprover"));
        ask.answerAs("mona", new Decision(true));
        run.assertStatus(ExecutionStatus.COMPLETED).assertStepsRun("submit", "askManager", "decide", "archive");
        assertThat(run.state(ExpenseV2.class).log, is(List.of("submitted", "migrated", "approved", "archived")));
        assertThat(run.history().stream().filter(v -> v.type().equals("MIGRATED")).toList(), hasSize(1));
    }

    @Test
    void whatCannotMoveIsReportedWithItsReasonAndStaysOnVersionOne() {
        FlowRun blank = kit.start(new ExpenseInput(" ", 5));

        kit.redeployWith(new ExpenseApproval(), new ExpenseApprovalV2());
        MigrationReport migrated = kit.migrate("expense-approval", 1, 2);

        assertThat(migrated.moved(), is(empty()));
        assertThat(migrated.cannot(), hasSize(1));
        assertThat(migrated.cannot().get(0).reason(), is("state_invalid"));
        assertThat(migrated.remaining(), is(1L));
        assertThat(blank.execution().flowVersion(), is(1));
        blank.openAsk("manager").answerAs("mona", new Decision(false));
        blank.assertStatus(ExecutionStatus.COMPLETED);
    }

    @Test
    void aMigrationTheNewBuildDoesNotDeclareIsRefused() {
        EngineException refused = assertThrows(EngineException.class, () -> kit.migrate("expense-approval", 1, 2));
        assertThat(refused.problem(), is(EngineException.Problem.UNKNOWN_FLOW));
    }

    // ---- the flow: @Vetoed, only the kit registers it ---------------------------------------------

    /**
     * @param item   what was bought
     * @param amount its cost
     */
    public record ExpenseInput(String item, @Positive long amount) {
    }

    /** @param approved the manager's decision */
    public record Decision(Boolean approved) {
    }

    /** Version 1's state. */
    public static class Expense {
        /** What was bought. */
        public String item;
        /** Its cost. */
        public long amount;
        /** What happened. */
        public List<String> log = new ArrayList<>();

        /** For reading it back. */
        public Expense() {
        }

        /** @param in the caller's input */
        public Expense(ExpenseInput in) {
            item = in.item();
            amount = in.amount();
        }
    }

    /** Version 1's state as version 2 reads old executions (a copy: version 1's class may be gone). */
    public record ExpenseV1(String item, long amount, List<String> log) {
    }

    /** Version 2's state: a currency, and an item that is not blank. */
    public static class ExpenseV2 {
        /** What was bought. */
        @NotBlank
        public String item;
        /** Its cost. */
        public long amount;
        /** Its currency. */
        @NotBlank
        public String currency;
        /** What happened. */
        public List<String> log = new ArrayList<>();

        /** For reading it back. */
        public ExpenseV2() {
        }

        /** @param in the caller's input */
        public ExpenseV2(ExpenseInput in) {
            item = in.item();
            amount = in.amount();
            currency = "EUR";
        }
    }

    /** Version 1 as released. */
    @Flow(name = "expense-approval", version = 1, input = ExpenseInput.class, state = Expense.class)
    @Vetoed
    public static class ExpenseApproval {
        @Start
        void submit(Expense e) {
            e.log.add("submitted");
        }

        @Listen("submit")
        @AsksAgent(value = "manager", answer = Decision.class)
        AgentAsk askManager(Expense e) {
            return AgentAsk.to("manager", "Approve " + e.item + "?", e).within(Duration.ofMinutes(5));
        }

        @Listen("askManager")
        void decide(Expense e, AgentAnswer answer) {
            e.log.add(answer.isTrue("approved") ? "approved" : "rejected");
        }
    }

    /** Version 2: the question renamed, a currency, and an archive step; executions of version 1 move here. */
    @Flow(name = "expense-approval", version = 2, input = ExpenseInput.class, state = ExpenseV2.class)
    @Vetoed
    public static class ExpenseApprovalV2 {
        @MigratesFrom(version = 1, steps = @StepMapping(from = "askManager", to = "askApprover"))
        ExpenseV2 fromV1(ExpenseV1 old) {
            ExpenseV2 e = new ExpenseV2(new ExpenseInput(old.item(), old.amount()));
            e.log = new ArrayList<>(old.log());
            e.log.add("migrated");
            return e;
        }

        @Start
        void submit(ExpenseV2 e) {
            e.log.add("submitted");
        }

        @Listen("submit")
        @AsksAgent(value = "manager", answer = Decision.class)
        AgentAsk askApprover(ExpenseV2 e) {
            return AgentAsk.to("manager", "Approve " + e.item + " (" + e.currency + ")?", e).within(Duration.ofMinutes(5));
        }

        @Listen("askApprover")
        void decide(ExpenseV2 e, AgentAnswer answer) {
            e.log.add(answer.isTrue("approved") ? "approved" : "rejected");
        }

        @Listen("decide")
        void archive(ExpenseV2 e) {
            e.log.add("archived");
        }
    }
}
