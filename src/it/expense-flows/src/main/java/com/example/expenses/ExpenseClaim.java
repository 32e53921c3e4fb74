package com.example.expenses;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** The state of an {@code expense-approval} execution: the claim, then who must decide and what they decided. */
public class ExpenseClaim {
    /** Who spent the money. */
    @NotBlank
    @Size(max = 200)
    public String employee;
    /** What for. */
    @NotBlank
    @Size(max = 2000)
    public String purpose;
    /** How much, in whole currency units. */
    @Positive
    @Max(1_000_000)
    public long amount;

    /** The agent role that decides (set by the policy). */
    public String approver;
    /** APPROVED, REJECTED or TIMED_OUT. */
    public String decision;
    /** The subject that decided. */
    @Size(max = 1024)
    public String decidedBy;
    /** The approver's comment. */
    @Size(max = 2000)
    public String comment;

    /** For reading the state back from the database. */
    public ExpenseClaim() {
    }

    /** @param input the employee's claim */
    public ExpenseClaim(ExpenseInput input) {
        this.employee = input.employee();
        this.purpose = input.purpose();
        this.amount = input.amount();
    }
}
