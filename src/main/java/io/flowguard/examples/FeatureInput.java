package io.flowguard.examples;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * What a caller gives to start {@code feature-approval}: the proposal, never the decision. Any
 * other field (a {@code decision}, {@code decidedBy} or {@code summary}, which the flow writes)
 * is refused before anything is stored.
 *
 * @param featureName   what is proposed
 * @param description   why (optional)
 * @param estimatedCost the estimated cost, in whole currency units (required)
 * @param complexity    1 (trivial) to 10 (very hard); the analysis takes 5 when not given
 */
public record FeatureInput(
        @NotBlank @Size(max = 200) String featureName,
        @Size(max = 5000) String description,
        @PositiveOrZero @Max(1_000_000_000_000L) long estimatedCost,
        @Min(1) @Max(10) Integer complexity) {
}
