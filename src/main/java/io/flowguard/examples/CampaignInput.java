package io.flowguard.examples;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * What a caller gives to start {@code campaign-launch}. What the branches did, the media booking
 * and whether it launched are the flow's to write: a start naming them is refused.
 *
 * @param name   the campaign's name
 * @param budget its budget in whole currency units (required)
 */
public record CampaignInput(@NotBlank @Size(max = 200) String name, @Positive long budget) {
}
