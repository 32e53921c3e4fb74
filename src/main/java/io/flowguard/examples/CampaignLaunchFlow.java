package io.flowguard.examples;

import io.flowguard.flow.Flow;
import io.flowguard.flow.Join;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Retry;
import io.flowguard.flow.Start;
import io.flowguard.flow.StepContext;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Campaign launch: a plan fans out to three branches (creative, media, sales briefing) that are
 * joined with all-of; the launch runs once every branch has finished. The media branch books
 * through the {@code media} service ({@code flowguard.services.media.url}): a network blip is
 * retried inside the call, a call that still fails is retried by the step's policy, and after
 * that the execution fails with the call's reason.
 */
@Flow(name = "campaign-launch", version = 1, input = CampaignInput.class, state = Campaign.class,
        services = "media")
public class CampaignLaunchFlow {

    @Start
    void plan(Campaign campaign) {
        campaign.completed.add("plan");
    }

    @Listen("plan")
    void prepareCreative(Campaign campaign) {
        campaign.completed.add("creative");
    }

    @Listen("plan")
    @Retry(maxAttempts = 2, initialDelayMillis = 1000)
    void bookMedia(Campaign campaign, StepContext context) {
        MediaBooking booking = context.call("media", "/bookings",
                new MediaBookingRequest(campaign.name, campaign.budget), MediaBooking.class);
        campaign.mediaBooking = booking.booking();
        campaign.completed.add("media");
    }

    /**
     * What the media planner is asked to book.
     *
     * @param campaign the campaign's name
     * @param budget   its budget
     */
    public record MediaBookingRequest(String campaign, long budget) {
    }

    /**
     * The media planner's answer.
     *
     * @param booking its reference for the booking
     */
    public record MediaBooking(@NotBlank @Size(max = 200) String booking) {
    }

    @Listen("plan")
    void briefSales(Campaign campaign) {
        campaign.completed.add("sales");
    }

    @Listen(value = {"prepareCreative", "bookMedia", "briefSales"}, join = Join.ALL)
    void launch(Campaign campaign) {
        campaign.launched = true;
        campaign.completed.add("launch");
    }
}
