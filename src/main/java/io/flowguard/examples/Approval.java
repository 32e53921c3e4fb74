package io.flowguard.examples;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A valid answer to a feature-approval question.
 *
 * @param approved the decision
 * @param comment  why (optional, at most 2,000 characters)
 */
public record Approval(@NotNull Boolean approved, @Size(max = 2000) String comment) {
}
