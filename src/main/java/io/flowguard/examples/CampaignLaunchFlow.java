package io.flowguard.examples;

import io.flowguard.flow.Flow;
import io.flowguard.flow.Join;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Start;

/**
 * Campaign launch: a plan fans out to three branches (creative, media, sales briefing) that are
 * joined with all-of; the launch runs once every branch has finished.
 */
@Flow(name = "campaign-launch", version = 1, state = Campaign.class)
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
    void bookMedia(Campaign campaign) {
        campaign.completed.add("media");
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
