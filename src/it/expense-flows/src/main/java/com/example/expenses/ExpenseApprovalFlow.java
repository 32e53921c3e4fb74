package com.example.expenses;

import java.util.Map;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Router;
import io.flowguard.flow.Start;
import jakarta.inject.Inject;

/**
 * Expense approval with two agent roles: the policy names the approver (the manager up to
 * 5,000, finance above), who approves or rejects; no answer in time is recorded as such.
 */
@Flow(name = "expense-approval", version = 1, input = ExpenseInput.class, state = ExpenseClaim.class)
public class ExpenseApprovalFlow {

    private final ExpensePolicy policy;

    /** @param policy who approves how much */
    @Inject
    public ExpenseApprovalFlow(ExpensePolicy policy) {
        this.policy = policy;
    }

    @Start
    void submit(ExpenseClaim claim) {
        claim.approver = policy.approverFor(claim.amount);
    }

    @Router(after = "submit", labels = {"manager", "finance"})
    String route(ExpenseClaim claim) {
        return claim.approver;
    }

    @Listen("manager")
    @AsksAgent(value = "manager", answer = Decision.class)
    AgentAsk askManager(ExpenseClaim claim) {
        return AgentAsk.to("manager", "Approve this expense?", facts(claim));
    }

    @Listen("finance")
    @AsksAgent(value = "finance", answer = Decision.class)
    AgentAsk askFinance(ExpenseClaim claim) {
        return AgentAsk.to("finance", "Approve this expense? It is over " + ExpensePolicy.FINANCE_THRESHOLD + ".",
                facts(claim));
    }

    @Listen({"askManager", "askFinance"})
    void recordDecision(ExpenseClaim claim, AgentAnswer answer) {
        claim.decision = answer.isTrue("approved") ? "APPROVED" : "REJECTED";
        claim.decidedBy = answer.answeredBy();
        claim.comment = answer.text("comment");
    }

    @Listen({"askManager.timeout", "askFinance.timeout"})
    void noAnswer(ExpenseClaim claim) {
        claim.decision = "TIMED_OUT";
    }

    private static Map<String, Object> facts(ExpenseClaim claim) {
        return Map.of("employee", claim.employee, "purpose", claim.purpose, "amount", claim.amount);
    }
}
