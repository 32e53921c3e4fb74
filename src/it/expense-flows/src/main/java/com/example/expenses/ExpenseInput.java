package com.example.expenses;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * What an employee gives to start {@code expense-approval}: the claim, never its decision.
 *
 * @param employee who spent the money
 * @param purpose  what for
 * @param amount   how much, in whole currency units
 */
public record ExpenseInput(
        @NotBlank @Size(max = 200) String employee,
        @NotBlank @Size(max = 2000) String purpose,
        @Positive @Max(1_000_000) long amount) {
}
