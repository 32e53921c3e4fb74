package io.flowguard.examples;

import java.util.LinkedHashMap;
import java.util.Map;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Router;
import io.flowguard.flow.Start;

/**
 * Feature approval, true to the system Flowguard replaces: analyze the request, route by cost and
 * complexity to the CEO, the CTO or automatic approval, record the decision, and take a recorded
 * timeout path when the approver does not answer in time.
 */
@Flow(name = "feature-approval", version = 1, input = FeatureInput.class, state = FeatureRequest.class)
public class FeatureApprovalFlow {

    /** Above this estimated cost the CEO decides. */
    static final long CEO_THRESHOLD = 1_000_000;
    /** Above this complexity the CTO decides. */
    static final int CTO_THRESHOLD = 8;

    @Start
    void analyze(FeatureRequest request) {
        if (request.complexity == null) {
            request.complexity = 5;
        }
        request.summary = request.featureName + ": estimated cost " + request.estimatedCost
                + ", complexity " + request.complexity;
    }

    @Router(after = "analyze", labels = {"ceo_approval", "cto_approval", "auto_approve"})
    String route(FeatureRequest request) {
        if (request.estimatedCost > CEO_THRESHOLD) {
            return "ceo_approval";
        }
        if (request.complexity > CTO_THRESHOLD) {
            return "cto_approval";
        }
        return "auto_approve";
    }

    @Listen("ceo_approval")
    @AsksAgent(value = "ceo", answer = Approval.class)
    AgentAsk askCeo(FeatureRequest request) {
        return AgentAsk.to("ceo", "Approve this feature? Its cost is over " + CEO_THRESHOLD + ".", facts(request));
    }

    @Listen("cto_approval")
    @AsksAgent(value = "cto", answer = Approval.class)
    AgentAsk askCto(FeatureRequest request) {
        return AgentAsk.to("cto", "Approve this feature? Its complexity is over " + CTO_THRESHOLD + ".", facts(request));
    }

    @Listen("auto_approve")
    void autoApprove(FeatureRequest request) {
        request.decision = "APPROVED";
        request.decidedBy = "auto";
        request.comment = "within cost and complexity limits";
    }

    @Listen({"askCeo", "askCto"})
    void recordDecision(FeatureRequest request, AgentAnswer answer) {
        request.decision = answer.isTrue("approved") ? "APPROVED" : "REJECTED";
        request.decidedBy = answer.answeredBy();
        request.comment = answer.text("comment");
    }

    @Listen({"askCeo.timeout", "askCto.timeout"})
    void noAnswer(FeatureRequest request) {
        request.decision = "TIMED_OUT";
        request.decidedBy = null;
        request.comment = "the approver did not answer before the deadline";
    }

    private static Map<String, Object> facts(FeatureRequest request) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("featureName", request.featureName);
        facts.put("summary", request.summary);
        facts.put("estimatedCost", request.estimatedCost);
        facts.put("complexity", request.complexity);
        return facts;
    }
}
