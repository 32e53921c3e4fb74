package com.example.expenses.v2;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * The state of {@code expense-approval} v2: v1's claim with the currency it was spent in, and
 * who decides named {@code lead} for claims up to the finance threshold.
 */
public class ExpenseClaimV2 {
    /** Who spent the money. */
    @NotBlank
    @Size(max = 200)
    public String employee;
    /** What for. */
    @NotBlank
    @Size(max = 2000)
    public String purpose;
    /** How much, in whole units of {@link #currency}. */
    @Positive
    @Max(1_000_000)
    public long amount;
    /** ISO 4217 code; claims made before v2 were all in euros. */
    @NotBlank
    @Pattern(regexp = "[A-Z]{3}")
    public String currency;
    /** The agent role that decides. */
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
    public ExpenseClaimV2() {
    }

    /** @param input the employee's claim */
    public ExpenseClaimV2(ExpenseInputV2 input) {
        this.employee = input.employee();
        this.purpose = input.purpose();
        this.amount = input.amount();
        this.currency = input.currency();
    }
}
