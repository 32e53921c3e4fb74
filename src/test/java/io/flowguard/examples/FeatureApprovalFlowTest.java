package io.flowguard.examples;

import java.util.List;
import java.util.Map;

import io.flowguard.engine.EngineException;
import io.flowguard.engine.EventSnapshot;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.testkit.FlowRun;
import io.flowguard.testkit.FlowTestKit;
import io.flowguard.testkit.OpenAsk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every path of feature-approval, as its author tests it: with the test kit (the engine on H2 in
 * memory, a manual clock, no container). The engine's own guards around answers (races, listing,
 * history order) are {@code engine.EngineFacadeTest}'s, on the run's database.
 */
class FeatureApprovalFlowTest {

    /** One kit for the class (one database, one persistence unit), as good as new before each test. */
    private static final FlowTestKit kit = FlowTestKit.of(FeatureApprovalFlow.class);

    @BeforeEach
    void fresh() {
        kit.reset();
    }

    @AfterAll
    static void close() {
        kit.close();
    }

    private static FeatureInput feature(long cost, Integer complexity) {
        return new FeatureInput("dark mode", "a theme", cost, complexity);
    }

    @Test
    void lowCostAndComplexityIsApprovedAutomatically() {
        FlowRun run = kit.start(feature(500_000, 7));

        run.assertStatus(ExecutionStatus.COMPLETED).assertRoutes("auto_approve")
                .assertStepsRun("analyze", "route", "autoApprove");
        FeatureRequest done = run.state(FeatureRequest.class);
        assertThat(done.decision, is("APPROVED"));
        assertThat(done.decidedBy, is("auto"));
        assertThat(done.summary, is("dark mode: estimated cost 500000, complexity 7"));
    }

    @Test
    void missingComplexityDefaultsToFive() {
        FlowRun run = kit.start(feature(10, null));

        run.assertStatus(ExecutionStatus.COMPLETED).assertRoutes("auto_approve");
        assertThat(run.state(FeatureRequest.class).complexity, is(5));
    }

    @Test
    void costOverAMillionAsksTheCeoAndTheAnswerApproves() {
        FlowRun run = kit.start(feature(FeatureApprovalFlow.CEO_THRESHOLD + 1, 3));
        run.assertStatus(ExecutionStatus.WAITING_AGENT).assertRoutes("ceo_approval");
        OpenAsk ask = run.openAsk("ceo");
        assertThat(ask.step(), is("askCeo"));
        assertThat(ask.payload(Map.class).get("estimatedCost"), is(1_000_001));

        ask.answerAs("carol-the-ceo", new Approval(true, "go"));

        run.assertStatus(ExecutionStatus.COMPLETED).assertStepsRun("analyze", "route", "askCeo", "recordDecision");
        FeatureRequest done = run.state(FeatureRequest.class);
        assertThat(done.decision, is("APPROVED"));
        assertThat(done.decidedBy, is("carol-the-ceo"));
        assertThat(done.comment, is("go"));
        assertThat(run.history().stream().filter(v -> v.type().equals("ANSWERED")).map(EventSnapshot::actor)
                .toList(), is(List.of("carol-the-ceo")));
    }

    @Test
    void aCostOfExactlyAMillionIsApprovedWithoutTheCeo() {
        kit.start(feature(FeatureApprovalFlow.CEO_THRESHOLD, 3))
                .assertStatus(ExecutionStatus.COMPLETED).assertRoutes("auto_approve");
    }

    @Test
    void ceoCanReject() {
        FlowRun run = kit.start(feature(3_000_000, 3));

        run.openAsk("ceo").answerAs("carol", new Approval(false, "too costly"));

        run.assertStatus(ExecutionStatus.COMPLETED);
        assertThat(run.state(FeatureRequest.class).decision, is("REJECTED"));
    }

    @Test
    void highComplexityAsksTheCtoAndOnlyTheCtoMayAnswer() {
        FlowRun run = kit.start(feature(100, FeatureApprovalFlow.CTO_THRESHOLD + 1));
        run.assertRoutes("cto_approval");
        OpenAsk ask = run.openAsk("cto");
        long versionBefore = run.execution().version();

        EngineException wrongRole = assertThrows(EngineException.class,
                () -> ask.answerAs("carol", "ceo", new Approval(true, "fine")));

        assertThat(wrongRole.problem(), is(EngineException.Problem.FORBIDDEN));
        assertThat(run.execution().version(), is(versionBefore));
        ask.answerAs("erin-the-cto", new Approval(true, "fine"));
        run.assertStatus(ExecutionStatus.COMPLETED);
        assertThat(run.state(FeatureRequest.class).decidedBy, is("erin-the-cto"));
    }

    @Test
    void aComplexityOfExactlyEightIsApprovedWithoutTheCto() {
        kit.start(feature(100, FeatureApprovalFlow.CTO_THRESHOLD))
                .assertStatus(ExecutionStatus.COMPLETED).assertRoutes("auto_approve");
    }

    @Test
    void anUnansweredQuestionTakesTheRecordedTimeoutPath() {
        FlowRun run = kit.start(feature(7_000_000, 1));

        run.openAsk("ceo").letExpire();

        run.assertStatus(ExecutionStatus.COMPLETED).assertStepsRun("analyze", "route", "askCeo", "noAnswer");
        FeatureRequest done = run.state(FeatureRequest.class);
        assertThat(done.decision, is("TIMED_OUT"));
        assertThat(done.decidedBy, nullValue());
        assertThat(done.comment, is("the approver did not answer before the deadline"));
    }

    @Test
    void anAnswerOfTheWrongShapeIsRejectedAndChangesNothing() {
        FlowRun run = kit.start(feature(5_000_000, 1));
        OpenAsk ask = run.openAsk("ceo");
        long versionBefore = run.execution().version();

        for (String bad : List.of("{\"comment\":\"no decision\"}", "{\"approved\":\"yes\"}", "[true]",
                "{\"approved\":true,\"extra\":1}", "{\"approved\":true", "")) {
            EngineException e = assertThrows(EngineException.class, () -> ask.answerAs("carol", bad), bad);
            assertThat(bad, e.problem(), is(EngineException.Problem.INVALID_INPUT));
        }
        assertThat(run.execution().version(), is(versionBefore));
        run.assertStatus(ExecutionStatus.WAITING_AGENT);
    }

    @Test
    void answeringTwiceIsAConflict() {
        FlowRun run = kit.start(feature(4_000_000, 2));
        OpenAsk ask = run.openAsk("ceo");
        ask.answerAs("carol", new Approval(true, "fine"));

        EngineException again = assertThrows(EngineException.class,
                () -> ask.answerAs("carol", new Approval(false, "no")));

        assertThat(again.problem(), is(EngineException.Problem.CONFLICT));
        run.assertStatus(ExecutionStatus.COMPLETED);
        assertThat(run.state(FeatureRequest.class).decision, is("APPROVED"));
    }

    @Test
    void invalidInputIsRejectedBeforeAnythingIsWritten() {
        List<String> bad = List.of(
                "{\"featureName\":\"x\",\"estimatedCost\":1,\"owner\":\"root\"}",
                "{\"featureName\":\"x\",\"estimatedCost\":\"lots\"}",
                "{\"estimatedCost\":1}",
                "{\"featureName\":\"x\",\"estimatedCost\":1,\"complexity\":11}",
                "{\"featureName\":\"x\",\"estimatedCost\":1,\"complexity\":0}",
                "{\"featureName\":\"x\",\"estimatedCost\":-5}",
                "{\"featureName\":\"x\",\"estimatedCost\":99999999999999999999999999}",
                "{\"featureName\":\"x\",\"estimatedCost\":1.5}",
                "{\"featureName\":\"x\",\"estimatedCost\":1} trailing",
                "not json",
                "null",
                // what only the flow writes (issue 16, point 6)
                "{\"featureName\":\"x\",\"estimatedCost\":5000000,\"decision\":\"APPROVED\",\"decidedBy\":\"ceo\"}",
                "{\"featureName\":\"x\",\"estimatedCost\":1,\"summary\":\"s\"}",
                "{\"featureName\":\"x\",\"estimatedCost\":1,\"comment\":\"c\"}");
        for (String input : bad) {
            EngineException e = assertThrows(EngineException.class, () -> kit.start(input), input);
            assertThat(input, e.problem(), is(EngineException.Problem.INVALID_INPUT));
            assertThat(input, e.getMessage().contains("io.flowguard"), is(false));
        }
        assertThat(kit.engine().list(null, null, 500, 0).size(), is(0));
    }
}
