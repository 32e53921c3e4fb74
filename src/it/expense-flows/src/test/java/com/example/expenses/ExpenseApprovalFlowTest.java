package com.example.expenses;

import java.time.Duration;

import io.flowguard.store.ExecutionStatus;
import io.flowguard.testkit.FlowRun;
import io.flowguard.testkit.FlowTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The team's own test of its flow, with Flowguard's test kit from the installed artifact: the
 * engine on H2 in memory with a manual clock, no service, no database server.
 */
class ExpenseApprovalFlowTest {

    private static final FlowTestKit kit = FlowTestKit.builder()
            .flow(ExpenseApprovalFlow.class, new ExpenseApprovalFlow(new ExpensePolicy()))
            .agentRoles("manager", "finance").agentWaits(Duration.ofHours(8), Duration.ofHours(24)).build();

    @BeforeEach
    void fresh() {
        kit.reset();
    }

    @AfterAll
    static void close() {
        kit.close();
    }

    @Test
    void theManagerApprovesASmallClaim() {
        FlowRun run = kit.start(new ExpenseInput("alice", "train to Lyon", 240));
        run.assertStatus(ExecutionStatus.WAITING_AGENT).assertRoutes("manager");

        run.openAsk("manager").answerAs("mia", new Decision(true, "fine"));

        run.assertStatus(ExecutionStatus.COMPLETED).assertStepsRun("submit", "route", "askManager", "recordDecision");
        ExpenseClaim claim = run.state(ExpenseClaim.class);
        assertEquals("APPROVED", claim.decision);
        assertEquals("mia", claim.decidedBy);
    }

    @Test
    void financeDecidesOverFiveThousand() {
        FlowRun run = kit.start(new ExpenseInput("bob", "conference", ExpensePolicy.FINANCE_THRESHOLD + 1));
        run.assertRoutes("finance");

        run.openAsk("finance").answerAs("fay", new Decision(false, "over budget"));

        assertEquals("REJECTED", run.assertStatus(ExecutionStatus.COMPLETED).state(ExpenseClaim.class).decision);
    }

    @Test
    void noAnswerInTimeIsRecorded() {
        FlowRun run = kit.start(new ExpenseInput("carl", "taxi", 30));

        run.openAsk("manager").letExpire();

        run.assertStatus(ExecutionStatus.COMPLETED).assertStepsRun("submit", "route", "askManager", "noAnswer");
        assertEquals("TIMED_OUT", run.state(ExpenseClaim.class).decision);
    }
}
