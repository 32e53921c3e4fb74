package com.example.expenses.v2;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * What an employee gives to start {@code expense-approval} v2: v1's claim and its currency.
 *
 * @param employee who spent the money
 * @param purpose  what for
 * @param amount   how much, in whole units of the currency
 * @param currency its ISO 4217 code
 */
public record ExpenseInputV2(
        @NotBlank @Size(max = 200) String employee,
        @NotBlank @Size(max = 2000) String purpose,
        @Positive @Max(1_000_000) long amount,
        @NotBlank @Pattern(regexp = "[A-Z]{3}") String currency) {
}
