package com.example.expenses;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * An approver's answer.
 *
 * @param approved the decision
 * @param comment  why (optional)
 */
public record Decision(@NotNull Boolean approved, @Size(max = 2000) String comment) {
}
