package com.example.expenses.v2;

import java.util.List;

import com.example.expenses.Decision;
import com.example.expenses.ExpenseApprovalFlow;
import com.example.expenses.ExpenseInput;
import com.example.expenses.ExpensePolicy;
import io.flowguard.engine.MigrationReport;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.testkit.FlowRun;
import io.flowguard.testkit.FlowTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The team's test of its upgrade, before it deploys v2: a claim waiting for its manager on v1
 * moves to v2 by the declared migration (a dry run first), and the manager's answer completes it
 * there; a claim already answered on v1 is finished and stays where it is.
 */
class ExpenseMigrationTest {

    private static final ExpensePolicy POLICY = new ExpensePolicy();
    private static final FlowTestKit kit = FlowTestKit.builder()
            .flow(ExpenseApprovalFlow.class, new ExpenseApprovalFlow(POLICY))
            .agentRoles("manager", "finance").build();

    @BeforeEach
    void fresh() {
        kit.reset();
    }

    @AfterAll
    static void close() {
        kit.close();
    }

    @Test
    void aClaimWaitingOnV1MovesToV2AndCompletesThere() {
        FlowRun waiting = kit.start(new ExpenseInput("alice", "train to Lyon", 240));
        FlowRun done = kit.start(new ExpenseInput("bob", "taxi", 30));
        done.openAsk("manager").answerAs("mia", new Decision(true, "fine"));
        done.assertStatus(ExecutionStatus.COMPLETED);

        kit.redeployWith(new ExpenseApprovalFlow(POLICY), new ExpenseApprovalFlowV2(POLICY));
        MigrationReport dryRun = kit.dryRunMigration("expense-approval", 1, 2);
        assertEquals(List.of(waiting.id()), dryRun.moved());
        assertTrue(dryRun.cannot().isEmpty(), dryRun.cannot().toString());
        assertEquals(1, waiting.execution().flowVersion(), "a dry run moves nothing");

        MigrationReport migrated = kit.migrate("expense-approval", 1, 2);
        assertEquals(List.of(waiting.id()), migrated.moved());
        assertEquals(2, waiting.execution().flowVersion());
        assertEquals("EUR", waiting.state(ExpenseClaimV2.class).currency);

        waiting.openAsk("manager").answerAs("mia", new Decision(false, "take the bus"));

        ExpenseClaimV2 claim = waiting.assertStatus(ExecutionStatus.COMPLETED).state(ExpenseClaimV2.class);
        assertEquals("REJECTED", claim.decision);
        assertEquals("mia", claim.decidedBy);
        assertEquals(1, done.execution().flowVersion(), "a finished execution does not move");
    }
}
