package com.example.expenses.v2;

import java.util.Map;

import com.example.expenses.ExpenseClaim;
import com.example.expenses.ExpensePolicy;
import com.example.expenses.Decision;
import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.MigratesFrom;
import io.flowguard.flow.Router;
import io.flowguard.flow.Start;
import io.flowguard.flow.StepMapping;
import jakarta.inject.Inject;

/**
 * Version 2 of expense approval: claims carry their currency, and the manager's question is
 * now the step {@code askLead}. Executions of v1 that still wait move here by
 * {@link #fromV1}: their claim was in euros, and the wait at {@code askManager} becomes the
 * wait at {@code askLead}, the question already asked staying open for the same manager.
 */
@Flow(name = "expense-approval", version = 2, input = ExpenseInputV2.class, state = ExpenseClaimV2.class)
public class ExpenseApprovalFlowV2 {

    private final ExpensePolicy policy;

    /** @param policy who approves how much */
    @Inject
    public ExpenseApprovalFlowV2(ExpensePolicy policy) {
        this.policy = policy;
    }

    /**
     * @param old a v1 execution's state, read from its stored JSON
     * @return the same claim in v2's shape
     */
    @MigratesFrom(version = 1, steps = @StepMapping(from = "askManager", to = "askLead"))
    ExpenseClaimV2 fromV1(ExpenseClaim old) {
        ExpenseClaimV2 claim = new ExpenseClaimV2();
        claim.employee = old.employee;
        claim.purpose = old.purpose;
        claim.amount = old.amount;
        claim.currency = "EUR";
        claim.approver = old.approver;
        claim.decision = old.decision;
        claim.decidedBy = old.decidedBy;
        claim.comment = old.comment;
        return claim;
    }

    @Start
    void submit(ExpenseClaimV2 claim) {
        claim.approver = policy.approverFor(claim.amount);
    }

    @Router(after = "submit", labels = {"manager", "finance"})
    String route(ExpenseClaimV2 claim) {
        return claim.approver;
    }

    @Listen("manager")
    @AsksAgent(value = "manager", answer = Decision.class)
    AgentAsk askLead(ExpenseClaimV2 claim) {
        return AgentAsk.to("manager", "Approve this expense?", facts(claim));
    }

    @Listen("finance")
    @AsksAgent(value = "finance", answer = Decision.class)
    AgentAsk askFinance(ExpenseClaimV2 claim) {
        return AgentAsk.to("finance", "Approve this expense? It is over the finance threshold.", facts(claim));
    }

    @Listen({"askLead", "askFinance"})
    void recordDecision(ExpenseClaimV2 claim, AgentAnswer answer) {
        claim.decision = answer.isTrue("approved") ? "APPROVED" : "REJECTED";
        claim.decidedBy = answer.answeredBy();
        claim.comment = answer.text("comment");
    }

    @Listen({"askLead.timeout", "askFinance.timeout"})
    void noAnswer(ExpenseClaimV2 claim) {
        claim.decision = "TIMED_OUT";
    }

    private static Map<String, Object> facts(ExpenseClaimV2 claim) {
        return Map.of("employee", claim.employee, "purpose", claim.purpose, "amount", claim.amount,
                "currency", claim.currency);
    }
}
