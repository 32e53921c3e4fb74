package io.flowguard.examples;

import java.util.ArrayList;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * The state of a {@code campaign-launch} execution: the caller's {@link CampaignInput}, then what
 * the branches did (which no caller can set).
 */
public class Campaign {
    /** The campaign's name. */
    @NotBlank
    @Size(max = 200)
    public String name;
    /** Budget in whole currency units. */
    @Positive
    public long budget;
    /** Filled by the flow: what each branch did, in completion order. */
    @Size(max = 20)
    public List<String> completed = new ArrayList<>();
    /** Filled by the media branch: the media planner's booking reference. */
    @Size(max = 200)
    public String mediaBooking;
    /** Filled by the final step. */
    public boolean launched;

    /** For reading the state back from the database. */
    public Campaign() {
    }

    /**
     * The first state of an execution: the caller's campaign, nothing done yet.
     *
     * @param input what the caller gave
     */
    public Campaign(CampaignInput input) {
        this.name = input.name();
        this.budget = input.budget();
    }
}
