package io.flowguard.testflows;

import java.time.Duration;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Start;

/** Asks the CEO and the CTO in parallel; each answer runs a step of its own that logs who answered. */
@Flow(name = "test-two-roles-ask", input = TestInput.class, state = TestState.class)
public class TwoRolesAskFlow {

    @Start
    void begin(TestState s) {
        s.log.add("begin");
    }

    @Listen("begin")
    @AsksAgent("ceo")
    AgentAsk askCeo(TestState s) {
        return AgentAsk.to("ceo", "Approve?", s.log).within(Duration.ofHours(1));
    }

    @Listen("begin")
    @AsksAgent("cto")
    AgentAsk askCto(TestState s) {
        return AgentAsk.to("cto", "Approve?", s.log).within(Duration.ofHours(1));
    }

    @Listen("askCeo")
    void ceoAnswered(TestState s, AgentAnswer answer) {
        s.log.add("ceo: " + answer.answeredBy());
    }

    @Listen("askCto")
    void ctoAnswered(TestState s, AgentAnswer answer) {
        s.log.add("cto: " + answer.answeredBy());
    }
}
