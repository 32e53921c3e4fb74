package io.flowguard.engine.graph;

import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Join;
import io.flowguard.flow.Start;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Startup refuses every invalid graph with a message naming the flow and the step. */
class FlowGraphBuilderTest {

    private static final AgentRoles ROLES = AgentRoles.of(AgentRoles.DEFAULT);

    private static String refusal(Class<?> type) throws Exception {
        var ctor = type.getDeclaredConstructor();
        ctor.setAccessible(true);
        Object instance = ctor.newInstance();
        return assertThrows(FlowDefinitionException.class, () -> FlowGraphBuilder.build(type, instance, ROLES))
                .getMessage();
    }

    private static FlowDefinition build(Class<?> type) throws Exception {
        var ctor = type.getDeclaredConstructor();
        ctor.setAccessible(true);
        return FlowGraphBuilder.build(type, ctor.newInstance(), ROLES);
    }

    @Test
    void noStartIsRefused() throws Exception {
        assertThat(refusal(InvalidFlows.NoStart.class), containsString("flow no-start"));
        assertThat(refusal(InvalidFlows.NoStart.class), containsString("no @Start"));
    }

    @Test
    void duplicateStepNamesAreRefused() throws Exception {
        String message = refusal(InvalidFlows.Duplicate.class);
        assertThat(message, containsString("flow duplicate, step b: duplicate step name"));
    }

    @Test
    void aListenerOnAnUnknownStepOrLabelIsRefused() throws Exception {
        assertThat(refusal(InvalidFlows.UnknownTrigger.class),
                containsString("flow unknown-trigger, step b: listens to unknown step or label 'nowhere'"));
    }

    @Test
    void anUnreachableStepIsRefused() throws Exception {
        assertThat(refusal(InvalidFlows.Unreachable.class), containsString("flow unreachable, step b: is unreachable"));
    }

    @Test
    void aRouterLabelNobodyListensToIsRefused() throws Exception {
        assertThat(refusal(InvalidFlows.DeafLabel.class),
                containsString("flow deaf-label, step r: label 'right' has no listener"));
    }

    @Test
    void anUnknownAgentRoleIsRefused() throws Exception {
        assertThat(refusal(InvalidFlows.UnknownRole.class),
                containsString("flow unknown-role, step a: asks unknown agent role 'janitor'"));
    }

    @Test
    void aSignatureTheEngineCannotCallIsRefused() throws Exception {
        assertThat(refusal(InvalidFlows.BadSignature.class), containsString("flow bad-signature, step a: parameter String"));
        assertThat(refusal(InvalidFlows.UndeclaredAsk.class), containsString("declares no @AsksAgent"));
        assertThat(refusal(InvalidFlows.TimeoutOfNonAsk.class), containsString("'a' is not a step that asks"));
        assertThat(refusal(InvalidFlows.BadName.class), containsString("lower-case"));
    }

    @Test
    void aStateThatCannotBeBuiltFromTheInputIsRefused() throws Exception {
        assertThat(refusal(InvalidFlows.StateNotFromInput.class), containsString(
                "flow state-not-from-input: state type Written has no public constructor Written(In)"));
    }

    @Test
    void theFirstStateIsBuiltFromTheInputByTheStatesConstructor() throws Exception {
        FlowDefinition approval = build(io.flowguard.examples.FeatureApprovalFlow.class);
        var input = new io.flowguard.examples.FeatureInput("dark mode", "why", 7, 3);

        var state = (io.flowguard.examples.FeatureRequest) approval.initialState(input);

        assertThat(approval.inputType(), is((Object) io.flowguard.examples.FeatureInput.class));
        assertThat(state.featureName + " " + state.estimatedCost + " " + state.complexity, is("dark mode 7 3"));
        assertThat("nothing the flow decides", state.decision == null && state.decidedBy == null, is(true));
        FlowDefinition same = build(InvalidFlows.ValidJoin.class);
        var s = new InvalidFlows.S(4);
        assertThat("an input that is the state is the first state", same.initialState(s), is((Object) s));
    }

    @Test
    void anAllOfJoinWaitsForEveryTrigger() throws Exception {
        FlowDefinition flow = build(InvalidFlows.ValidJoin.class);

        assertThat(flow.activate("a", Set.of("a"), Set.of("a")), is(List.of("b", "c")));
        assertThat(flow.activate("b", Set.of("a", "b"), Set.of("a", "b", "c")), is(List.of()));
        assertThat(flow.activate("c", Set.of("a", "b", "c"), Set.of("a", "b", "c")), is(List.of("d")));
        assertThat("a step runs at most once", flow.activate("c", Set.of("a", "b", "c"), Set.of("a", "b", "c", "d")),
                is(List.of()));
    }

    @Test
    void theShippedFlowsAreValid() throws Exception {
        FlowDefinition approval = build(io.flowguard.examples.FeatureApprovalFlow.class);
        FlowDefinition campaign = build(io.flowguard.examples.CampaignLaunchFlow.class);

        assertThat(approval.startSteps(), is(List.of("analyze")));
        assertThat(approval.hasTimeoutPath("askCeo"), is(true));
        assertThat(campaign.step("launch").orElseThrow().join(), is(Join.ALL));
    }

    @Test
    void twoClassesCannotRegisterTheSameNameAndVersion() throws Exception {
        FlowDefinition once = build(InvalidFlows.ValidJoin.class);
        FlowDefinition twice = build(InvalidFlows.ValidJoin.class);

        String message = assertThrows(FlowDefinitionException.class,
                () -> new FlowRegistry(List.of(once, twice), ROLES)).getMessage();
        assertThat(message, containsString("flow valid-join: version 1 is registered twice"));
    }

    @Test
    void theRegistryResolvesOnlyRegisteredNames() throws Exception {
        FlowRegistry registry = new FlowRegistry(List.of(build(InvalidFlows.ValidJoin.class)), ROLES);

        assertThat(registry.find("valid-join", 1).isPresent(), is(true));
        assertThat(registry.find("valid-join", 2).isPresent(), is(false));
        assertThat(registry.latest("io.flowguard.flow.InvalidFlows$ValidJoin").isPresent(), is(false));
        assertThat(registry.latest("java.lang.Runtime").isPresent(), is(false));
    }
}
