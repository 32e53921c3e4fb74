package io.flowguard.examples;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * The state of a {@code feature-approval} execution. Its first four fields come from the
 * caller's {@link FeatureInput}; the flow fills in the rest, and no caller can.
 */
public class FeatureRequest {
    /** What is proposed. */
    @NotBlank
    @Size(max = 200)
    public String featureName;
    /** Why. */
    @Size(max = 5000)
    public String description;
    /** The estimated cost, in whole currency units. */
    @PositiveOrZero
    @Max(1_000_000_000_000L)
    public long estimatedCost;
    /** 1 (trivial) to 10 (very hard); 5 when not given. */
    @Min(1)
    @Max(10)
    public Integer complexity;

    /** Filled by the analysis: a one-line summary for approvers. */
    @Size(max = 6000)
    public String summary;
    /** APPROVED, REJECTED or TIMED_OUT. */
    public String decision;
    /** Who decided (a subject, stored whole up to the subject limit, or "auto"). */
    @Size(max = 1024)
    public String decidedBy;
    /** The approver's comment, or why no decision was taken. */
    @Size(max = 2000)
    public String comment;

    /** For reading the state back from the database. */
    public FeatureRequest() {
    }

    /**
     * The first state of an execution: the caller's proposal, nothing decided yet.
     *
     * @param input what the caller gave
     */
    public FeatureRequest(FeatureInput input) {
        this.featureName = input.featureName();
        this.description = input.description();
        this.estimatedCost = input.estimatedCost();
        this.complexity = input.complexity();
    }
}
