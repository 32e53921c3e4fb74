package io.flowguard.engine.graph;

import java.util.List;
import java.util.Map;

import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.MigratesFrom;
import io.flowguard.flow.Start;
import io.flowguard.flow.StepMapping;
import jakarta.enterprise.inject.Vetoed;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Startup refuses a migration declaration ({@link MigratesFrom}) that could only fail when run,
 * naming the flow and the migration: a version not older than the flow's, one declared twice, a
 * signature that does not take one old state and return the state type, a mapping to a step the
 * new version lacks; and, when the old version is registered beside it, a mapping of a step the
 * old version lacks, of an asking step to one that asks nobody, or onto a name an old step keeps.
 */
class MigrationDeclarationTest {

    private static final AgentRoles ROLES = AgentRoles.of("lead,manager");

    @Test
    void aValidDeclarationIsRegisteredWithItsMappingAndTheOldStatesType() {
        FlowDefinition v2 = build(V2.class);
        MigrationDefinition migration = v2.migrationFrom(1).orElseThrow();
        assertThat(migration.fromVersion(), is(1));
        assertThat(migration.toVersion(), is(2));
        assertThat(migration.renamed(), is(Map.of("askManager", "askLead")));
        assertThat(migration.counterpart("askManager"), is("askLead"));
        assertThat("an unmapped step keeps its name", migration.counterpart("submit"), is("submit"));
        assertThat(migration.oldStateType(), is((Object) OldState.class));
        assertThat(v2.migrationFrom(3).isPresent(), is(false));
        new FlowRegistry(List.of(build(V1.class), v2), ROLES);
    }

    @Test
    void aVersionThatIsNotOlderIsRefused() {
        assertThat(refusal(FromItself.class), is("flow mig: migration fromV2 migrates from version 2, which is not an "
                + "older version than this one (2)"));
        assertThat(refusal(FromNewer.class), containsString("migrates from version 3, which is not an older version"));
        assertThat(refusal(FromZero.class), containsString("migrates from version 0, which is not an older version"));
    }

    @Test
    void aVersionDeclaredTwiceIsRefused() {
        assertThat(refusal(Twice.class), containsString("a migration from version 1 is declared twice"));
    }

    @Test
    void aSignatureOtherThanOldStateToStateIsRefused() {
        assertThat(refusal(ReturnsOther.class), is("flow mig: migration fromV1 returns String; a migration returns the "
                + "flow's state type NewState"));
        assertThat(refusal(TakesTwo.class), containsString("migration fromV1 must take exactly one parameter"));
        assertThat(refusal(TakesNone.class), containsString("migration fromV1 must take exactly one parameter"));
        assertThat(refusal(AlsoAStep.class), containsString("migration fromV1 is also annotated as a step"));
    }

    @Test
    void aMappingToAStepTheNewVersionLacksIsRefused() {
        assertThat(refusal(ToNowhere.class), is("flow mig: migration fromV1 maps old step 'askManager' to 'askBoss', "
                + "which is not a step of this version"));
        assertThat(refusal(MapsTwice.class), containsString("maps old step 'askManager' twice"));
        assertThat(refusal(TwoToOne.class), containsString("maps two old steps to 'askLead'"));
        assertThat(refusal(ToItself.class), containsString("maps step 'submit' to itself"));
        assertThat(refusal(Malformed.class), containsString("maps a malformed step name 'ask manager'"));
    }

    @Test
    void withTheOldVersionRegisteredAMappingOfAStepItLacksIsRefused() {
        FlowDefinitionException refused = assertThrows(FlowDefinitionException.class,
                () -> new FlowRegistry(List.of(build(V1.class), build(FromAGhost.class)), ROLES));
        assertThat(refused.getMessage(), is("flow mig: migration fromV1 from version 1 maps 'askGhost', which is not "
                + "a step of version 1"));
        new FlowRegistry(List.of(build(FromAGhost.class)), ROLES); // version 1 not built: checked when it runs
    }

    @Test
    void withTheOldVersionRegisteredAnAskingStepMappedToOneThatAsksNobodyIsRefused() {
        FlowDefinitionException refused = assertThrows(FlowDefinitionException.class,
                () -> new FlowRegistry(List.of(build(V1.class), build(AskToPlain.class)), ROLES));
        assertThat(refused.getMessage(), containsString("maps asking step 'askManager' to 'record', which asks no agent"));
    }

    @Test
    void withTheOldVersionRegisteredAMappingOntoANameAnOldStepKeepsIsRefused() {
        FlowDefinitionException refused = assertThrows(FlowDefinitionException.class,
                () -> new FlowRegistry(List.of(build(V1.class), build(OntoAKeptName.class)), ROLES));
        assertThat(refused.getMessage(), containsString("maps 'askManager' to 'record', which version 1's own step "
                + "'record' keeps as its name"));
    }

    private static FlowDefinition build(Class<?> type) {
        try {
            var ctor = type.getDeclaredConstructor();
            ctor.setAccessible(true);
            return FlowGraphBuilder.build(type, ctor.newInstance(), ROLES);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String refusal(Class<?> type) {
        return assertThrows(FlowDefinitionException.class, () -> build(type)).getMessage();
    }

    // ---- flows: @Vetoed, so the service's CDI discovery never finds them --------------------------

    /** Both versions' input. */
    record In(String item) {
    }

    /** Version 1's state. */
    public static class OldState {
        /** The item. */
        public String item;

        /** For JSON. */
        public OldState() {
        }

        /** @param in the input */
        public OldState(In in) {
            item = in.item();
        }
    }

    /** Version 2's state. */
    public static class NewState {
        /** The item. */
        public String item;

        /** For JSON. */
        public NewState() {
        }

        /** @param in the input */
        public NewState(In in) {
            item = in.item();
        }
    }

    @Vetoed
    @Flow(name = "mig", version = 1, input = In.class, state = OldState.class)
    static class V1 {
        @Start void submit(OldState s) { }
        @Listen("submit") @AsksAgent("manager") AgentAsk askManager(OldState s) { return AgentAsk.to("manager", "?", null); }
        @Listen("askManager") void record(OldState s) { }
    }

    @Vetoed
    @Flow(name = "mig", version = 2, input = In.class, state = NewState.class)
    static class V2 {
        @MigratesFrom(version = 1, steps = @StepMapping(from = "askManager", to = "askLead"))
        NewState fromV1(OldState old) { return new NewState(new In(old.item)); }
        @Start void submit(NewState s) { }
        @Listen("submit") @AsksAgent("lead") AgentAsk askLead(NewState s) { return AgentAsk.to("lead", "?", null); }
        @Listen("askLead") void record(NewState s) { }
    }

    @Vetoed
    @Flow(name = "mig", version = 2, input = In.class, state = NewState.class)
    static class FromItself {
        @MigratesFrom(version = 2) NewState fromV2(OldState old) { return null; }
        @Start void submit(NewState s) { }
    }

    @Vetoed
    @Flow(name = "mig", version = 2, input = In.class, state = NewState.class)
    static class FromNewer {
        @MigratesFrom(version = 3) NewState fromV3(OldState old) { return null; }
        @Start void submit(NewState s) { }
    }

    @Vetoed
    @Flow(name = "mig", version = 2, input = In.class, state = NewState.class)
    static class FromZero {
        @MigratesFrom(version = 0) NewState fromV0(OldState old) { return null; }
        @Start void submit(NewState s) { }
    }

    @Vetoed
    @Flow(name = "mig", version = 3, input = In.class, state = NewState.class)
    static class Twice {
        @MigratesFrom(version = 1) NewState fromV1(OldState old) { return null; }
        @MigratesFrom(version = 1) NewState fromV1Again(OldState old) { return null; }
        @Start void submit(NewState s) { }
    }

    @Vetoed
    @Flow(name = "mig", version = 2, input = In.class, state = NewState.class)
    static class ReturnsOther {
        @MigratesFrom(version = 1) String fromV1(OldState old) { return null; }
        @Start void submit(NewState s) { }
    }

    @Vetoed
    @Flow(name = "mig", version = 2, input = In.class, state = NewState.class)
    static class TakesTwo {
        @MigratesFrom(version = 1) NewState fromV1(OldState old, String more) { return null; }
        @Start void submit(NewState s) { }
    }

    @Vetoed
    @Flow(name = "mig", version = 2, input = In.class, state = NewState.class)
    static class TakesNone {
        @MigratesFrom(version = 1) NewState fromV1() { return null; }
        @Start void submit(NewState s) { }
    }

    @Vetoed
    @Flow(name = "mig", version = 2, input = In.class, state = NewState.class)
    static class AlsoAStep {
        @MigratesFrom(version = 1) @Listen("submit") NewState fromV1(NewState old) { return null; }
        @Start void submit(NewState s) { }
    }

    @Vetoed
    @Flow(name = "mig", version = 2, input = In.class, state = NewState.class)
    static class ToNowhere {
        @MigratesFrom(version = 1, steps = @StepMapping(from = "askManager", to = "askBoss"))
        NewState fromV1(OldState old) { return null; }
        @Start void submit(NewState s) { }
    }

    @Vetoed
    @Flow(name = "mig", version = 2, input = In.class, state = NewState.class)
    static class MapsTwice {
        @MigratesFrom(version = 1, steps = {@StepMapping(from = "askManager", to = "askLead"),
                @StepMapping(from = "askManager", to = "submit")})
        NewState fromV1(OldState old) { return null; }
        @Start void submit(NewState s) { }
        @Listen("submit") @AsksAgent("lead") AgentAsk askLead(NewState s) { return AgentAsk.to("lead", "?", null); }
    }

    @Vetoed
    @Flow(name = "mig", version = 2, input = In.class, state = NewState.class)
    static class TwoToOne {
        @MigratesFrom(version = 1, steps = {@StepMapping(from = "askManager", to = "askLead"),
                @StepMapping(from = "askBoss", to = "askLead")})
        NewState fromV1(OldState old) { return null; }
        @Start void submit(NewState s) { }
        @Listen("submit") @AsksAgent("lead") AgentAsk askLead(NewState s) { return AgentAsk.to("lead", "?", null); }
    }

    @Vetoed
    @Flow(name = "mig", version = 2, input = In.class, state = NewState.class)
    static class ToItself {
        @MigratesFrom(version = 1, steps = @StepMapping(from = "submit", to = "submit"))
        NewState fromV1(OldState old) { return null; }
        @Start void submit(NewState s) { }
    }

    @Vetoed
    @Flow(name = "mig", version = 2, input = In.class, state = NewState.class)
    static class Malformed {
        @MigratesFrom(version = 1, steps = @StepMapping(from = "ask manager", to = "submit"))
        NewState fromV1(OldState old) { return null; }
        @Start void submit(NewState s) { }
    }

    @Vetoed
    @Flow(name = "mig", version = 2, input = In.class, state = NewState.class)
    static class FromAGhost {
        @MigratesFrom(version = 1, steps = @StepMapping(from = "askGhost", to = "askLead"))
        NewState fromV1(OldState old) { return null; }
        @Start void submit(NewState s) { }
        @Listen("submit") @AsksAgent("lead") AgentAsk askLead(NewState s) { return AgentAsk.to("lead", "?", null); }
    }

    @Vetoed
    @Flow(name = "mig", version = 2, input = In.class, state = NewState.class)
    static class AskToPlain {
        @MigratesFrom(version = 1, steps = {@StepMapping(from = "askManager", to = "record"),
                @StepMapping(from = "record", to = "note")})
        NewState fromV1(OldState old) { return null; }
        @Start void submit(NewState s) { }
        @Listen("submit") void record(NewState s) { }
        @Listen("record") void note(NewState s) { }
    }

    @Vetoed
    @Flow(name = "mig", version = 2, input = In.class, state = NewState.class)
    static class OntoAKeptName {
        @MigratesFrom(version = 1, steps = @StepMapping(from = "askManager", to = "record"))
        NewState fromV1(OldState old) { return null; }
        @Start void submit(NewState s) { }
        @Listen("submit") @AsksAgent("lead") AgentAsk record(NewState s) { return AgentAsk.to("lead", "?", null); }
    }
}
