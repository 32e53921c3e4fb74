package io.flowguard.testflows;

import java.time.Duration;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Start;
import jakarta.validation.constraints.NotBlank;

/** Version 1 of {@code test-shapes}, still registered beside version 2: a title, and any JSON object as the answer. */
@Flow(name = "test-shapes", version = 1, input = ShapesFlowV1.Request.class, state = ShapesFlowV1.Request.class)
public class ShapesFlowV1 {

    /** @param title required, not blank */
    public record Request(@NotBlank String title) {
    }

    @Start
    void received(Request request) {
        // nothing to do: the input is the state
    }

    @Listen("received")
    @AsksAgent("test_lead")
    AgentAsk approve(Request request) {
        return AgentAsk.to("test_lead", "Approve?", request.title()).within(Duration.ofHours(1));
    }

    @Listen("approve")
    void approved(Request request, AgentAnswer answer) {
        // the answer is recorded in the history
    }
}
