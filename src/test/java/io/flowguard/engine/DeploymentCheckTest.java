package io.flowguard.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Start;
import io.flowguard.json.StrictJson;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.ExecutionWrite;
import io.flowguard.store.FlowExecution;
import jakarta.enterprise.inject.Vetoed;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The deployment check, on the embeddable engine with no container: a new build meets the
 * unfinished executions an older build left on the database. The two upgrade mistakes of issue 19
 * (a step renamed in the same version; the version bumped in place, so version 1 is no longer
 * built) each make it refuse to start its workers, naming flow, version, step and count, and
 * changing nothing; with {@code fail-executions} each such execution fails once, as at run time,
 * its quota slot back. A finished execution is never counted; one waiting and one between steps
 * are, each where it stands.
 */
class DeploymentCheckTest {

    @RegisterExtension
    static final EngineHarness harness = EngineHarness.perClass();

    private static final String OWNER = "deploy-owner";

    private final List<DeploymentCheck.Outcome> outcomes = new ArrayList<>();

    private Engine build(String id, OnMissing choice, Class<?>... flows) {
        Engine.Builder b = harness.instance(id).onMissing(choice).deploymentLog(outcomes::add);
        for (Class<?> flow : flows) {
            b.flow(flow);
        }
        return b.build();
    }

    /** The released build: one execution waiting for the CEO, one answered and between steps, one done. */
    private Left leftByTheReleasedBuild() {
        Engine released = build("released", OnMissing.REFUSE, Parcel.class);
        UUID waiting = start(released, "waiting");
        UUID between = start(released, "between");
        UUID done = start(released, "done");
        released.runDue();
        answer(released, done);
        released.runDue();
        answer(released, between); // no runDue: it stays RUNNING with "ship" queued
        assertThat(released.get(waiting).orElseThrow().status(), is(ExecutionStatus.WAITING_AGENT));
        assertThat(released.get(between).orElseThrow().status(), is(ExecutionStatus.RUNNING));
        assertThat(released.get(done).orElseThrow().status(), is(ExecutionStatus.COMPLETED));
        assertThat(OwnerRows.of(harness.dataSource, OWNER).quotaSlots(), is(2));
        released.close();
        outcomes.clear();
        return new Left(waiting, between, done);
    }

    private record Left(UUID waiting, UUID between, UUID done) {
    }

    @Test
    void aStepRenamedInTheSameVersionRefusesToStartNamingFlowVersionStepAndCountAndChangesNothing() {
        Left left = leftByTheReleasedBuild();
        OwnerRows before = OwnerRows.of(harness.dataSource, OWNER);
        Engine renamed = build("renamed", OnMissing.REFUSE, ParcelRenamedInPlace.class);

        DeploymentRefused refused = assertThrows(DeploymentRefused.class, renamed::runDue);

        DeploymentReport report = refused.report();
        assertThat(report.missingVersions(), is(empty()));
        assertThat(report.missingSteps(), contains(new DeploymentReport.MissingStep("parcel", 1, "askCeo", 1),
                new DeploymentReport.MissingStep("parcel", 1, "ship", 1)));
        assertThat("the finished one is not counted", report.unfinished(),
                contains(new DeploymentReport.Unfinished("parcel", 1, 2, true)));
        assertThat(refused.getMessage(), containsString("flow parcel version 1 has no step askCeo (1 unfinished "
                + "execution wait at it or will run it); flow parcel version 1 has no step ship (1 unfinished"));
        assertThat(refused.getMessage(), containsString("flowguard.flows.on-missing=fail-executions"));
        assertThat(renamed.deploymentRefusal().orElseThrow(), is(report));
        assertThat(outcomes.size(), is(1));
        assertThat(outcomes.get(0).refused(), is(true));
        assertThat("nothing changed", OwnerRows.of(harness.dataSource, OWNER), is(before));
        assertThat(renamed.get(left.waiting()).orElseThrow().status(), is(ExecutionStatus.WAITING_AGENT));

        assertThrows(DeploymentRefused.class, renamed::startWorkers);
        assertThat("no worker started", renamed.workers().isPresent(), is(false));
    }

    @Test
    void aVersionBumpedInPlaceRefusesToStartNamingTheVersionAndCount() {
        leftByTheReleasedBuild();
        OwnerRows before = OwnerRows.of(harness.dataSource, OWNER);
        Engine bumped = build("bumped", OnMissing.REFUSE, ParcelV2.class);

        DeploymentRefused refused = assertThrows(DeploymentRefused.class, bumped::startWorkers);

        assertThat(refused.report().missingVersions(), contains(new DeploymentReport.MissingVersion("parcel", 1, 2)));
        assertThat("a version not registered is named as a whole", refused.report().missingSteps(), is(empty()));
        assertThat(refused.report().unfinished(), contains(new DeploymentReport.Unfinished("parcel", 1, 2, false)));
        assertThat(refused.getMessage(), containsString("flow parcel version 1 is not registered (2 unfinished executions)"));
        assertThat(bumped.workers().isPresent(), is(false));
        assertThat(OwnerRows.of(harness.dataSource, OWNER), is(before));
    }

    @Test
    void withFailExecutionsARenamedStepFailsEachExecutionOnceAsAtRunTimeAndGivesItsSlotBack() {
        Left left = leftByTheReleasedBuild();
        Engine renamed = build("renamed", OnMissing.FAIL_EXECUTIONS, ParcelRenamedInPlace.class);

        renamed.checkDeployment();

        for (UUID id : List.of(left.waiting(), left.between())) {
            assertFailedAsAtRunTime(renamed, id, "unknown_step",
                    "a step this execution waits on or runs next is not part of its flow");
        }
        assertThat(renamed.get(left.done()).orElseThrow().status(), is(ExecutionStatus.COMPLETED));
        assertThat(OwnerRows.of(harness.dataSource, OWNER).quotaSlots(), is(0));
        DeploymentCheck.Outcome outcome = outcomes.get(0);
        assertThat(outcome.failedCount(), is(2L));
        assertThat(outcome.failed().missingSteps(), contains(new DeploymentReport.MissingStep("parcel", 1, "askCeo", 1),
                new DeploymentReport.MissingStep("parcel", 1, "ship", 1)));
        long version = renamed.get(left.waiting()).orElseThrow().version();

        renamed.checkDeployment();
        renamed.runDue();
        assertThat("checked once, touched once", outcomes.size(), is(1));
        assertThat(renamed.get(left.waiting()).orElseThrow().version(), is(version));
        assertThat("the new build runs", renamed.start("parcel", "{\"item\":\"box\"}", OWNER, null)
                .execution().status(), is(ExecutionStatus.PENDING));
    }

    @Test
    void withFailExecutionsAVersionNoLongerBuiltFailsEachExecutionWithUnknownFlow() {
        Left left = leftByTheReleasedBuild();
        Engine bumped = build("bumped", OnMissing.FAIL_EXECUTIONS, ParcelV2.class);

        bumped.runDue();

        for (UUID id : List.of(left.waiting(), left.between())) {
            assertFailedAsAtRunTime(bumped, id, "unknown_flow",
                    "the flow version this execution was started on is not registered");
        }
        assertThat(OwnerRows.of(harness.dataSource, OWNER).quotaSlots(), is(0));
        assertThat(bumped.unknownFlows(), is(2L));
        assertThat(outcomes.get(0).failed().missingVersions(),
                contains(new DeploymentReport.MissingVersion("parcel", 1, 2)));
    }

    @Test
    void keepingTheReleasedVersionBesideTheNewOnePassesAndCountsEachVersion() {
        Left left = leftByTheReleasedBuild();
        Engine both = build("both", OnMissing.REFUSE, Parcel.class, ParcelV2.class);
        both.start("parcel", "{\"item\":\"new\"}", OWNER, null);

        both.checkDeployment();

        DeploymentReport found = outcomes.get(0).found();
        assertThat(found.runnable(), is(true));
        assertThat(found.unfinished(), contains(new DeploymentReport.Unfinished("parcel", 1, 2, true),
                new DeploymentReport.Unfinished("parcel", 2, 1, true)));
        assertThat(both.unfinished(), is(found.unfinished()));
        assertThat(both.get(left.waiting()).orElseThrow().status(), is(ExecutionStatus.WAITING_AGENT));
    }

    @Test
    void theCountsPerVersionAreShownAgainUntilTheReadIsTwentyTimesAsOldAsItTookAQuarterSecondAtLeast() {
        Engine engine = build("counts", OnMissing.REFUSE, Parcel.class);
        assertThat(engine.unfinished(), is(empty())); // read in no time by the manual clock: shown 0.25 s

        start(engine, "one");
        harness.clock.advance(java.time.Duration.ofMillis(249));
        assertThat("read again only after 0.25 s", engine.unfinished(), is(empty()));

        harness.clock.advance(java.time.Duration.ofMillis(1));
        assertThat(engine.unfinished(), contains(new DeploymentReport.Unfinished("parcel", 1, 1, true)));
    }

    @Test
    void anOpenRequestAtAStepTheVersionDoesNotHaveIsNamedEvenWhenTheProgressDoesNotSayIt() {
        Left left = leftByTheReleasedBuild();
        update("UPDATE agent_request SET step = 'askChairman' WHERE execution_id = ?", left.waiting());
        Engine released = build("again", OnMissing.REFUSE, Parcel.class);

        DeploymentRefused refused = assertThrows(DeploymentRefused.class, released::runDue);

        assertThat(refused.report().missingSteps(), contains(new DeploymentReport.MissingStep("parcel", 1,
                "askChairman", 1)));
    }

    @Test
    void aNameFromARowIsShownEscapedInTheMessage() {
        insert("evil\nFAIL forged", 1, 1);

        DeploymentRefused refused = assertThrows(DeploymentRefused.class,
                () -> build("escaping", OnMissing.REFUSE, Parcel.class).runDue());

        assertThat(refused.getMessage(), containsString("flow evil\\u000aFAIL\\u0020forged version 1 is not registered"));
        assertThat(refused.report().missingVersions().get(0).flow(), is("evil\nFAIL forged"));
    }

    @Test
    void failingGoesInTransactionsOfTwoHundredOneBelowTheBatchTakesOne() {
        insert("gone", 1, DeploymentCheck.BATCH - 1);

        build("batch", OnMissing.FAIL_EXECUTIONS, Parcel.class).checkDeployment();

        assertThat(outcomes.get(0).failedCount(), is((long) DeploymentCheck.BATCH - 1));
        assertThat(outcomes.get(0).batches(), is(1));
    }

    @Test
    void failingGoesInTransactionsOfTwoHundredOneAboveTheBatchTakesTwo() {
        insert("gone", 1, DeploymentCheck.BATCH + 1);

        build("batch", OnMissing.FAIL_EXECUTIONS, Parcel.class).checkDeployment();

        assertThat(outcomes.get(0).failedCount(), is((long) DeploymentCheck.BATCH + 1));
        assertThat(outcomes.get(0).batches(), is(2));
        assertThat(build("after", OnMissing.REFUSE, Parcel.class).unfinished(), is(empty()));
    }

    @Test
    void whatAnOlderInstanceStartsAfterTheCheckPassedTheRunTimeGuardFailsOnAnswer() {
        Engine bumped = build("bumped", OnMissing.REFUSE, ParcelV2.class);
        bumped.checkDeployment(); // nothing to find yet
        Engine older = build("older", OnMissing.REFUSE, Parcel.class);
        UUID id = start(older, "late");
        older.runDue();

        RequestSnapshot ask = bumped.inbox(Set.of("ceo"), id, 10).get(0);
        EngineException conflict = assertThrows(EngineException.class,
                () -> bumped.answer(ask.id(), Set.of("ceo"), "carol", "{\"ok\":true}"));

        assertThat(conflict.problem(), is(EngineException.Problem.CONFLICT));
        assertFailedAsAtRunTime(bumped, id, "unknown_flow", "the flow version this execution was started on is not registered");
    }

    /** FAILED with that error and its history event, no open ask, no lease, no schedule. */
    private static void assertFailedAsAtRunTime(Engine engine, UUID id, String errorType, String message) {
        ExecutionSnapshot e = engine.get(id).orElseThrow();
        assertThat(e.status(), is(ExecutionStatus.FAILED));
        assertThat(e.errorType(), is(errorType));
        assertThat(e.error(), is(message));
        assertThat(e.leaseOwner(), is((String) null));
        assertThat(e.nextRunAt(), is((java.time.Instant) null));
        assertThat(HistoryOf.events(engine, id, "FAILED").size(), is(1));
        assertThat(HistoryOf.events(engine, id, "FAILED").get(0).detail(), is(message));
        assertThat(engine.inbox(Set.of("ceo"), id, 10), is(empty()));
    }

    private static UUID start(Engine engine, String item) {
        return engine.start("parcel", "{\"item\":\"" + item + "\"}", OWNER, null).execution().id();
    }

    private static void answer(Engine engine, UUID id) {
        RequestSnapshot ask = engine.inbox(Set.of("ceo"), id, 10).get(0);
        engine.answer(ask.id(), Set.of("ceo"), "carol", "{\"ok\":true}");
    }

    private static void update(String sql, UUID id) {
        try (java.sql.Connection c = harness.dataSource.getConnection();
             java.sql.PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, id);
            assertThat(s.executeUpdate(), is(1));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows an older build left: waiting executions of a flow version, inserted as the store writes them. */
    private static void insert(String flow, int version, int count) {
        String progress = new StrictJson().write(new Progress(List.of(), Set.of("receive"), Set.of("receive", "askCeo"),
                Set.of("askCeo"), 1));
        harness.store.transaction(tx -> {
            for (int i = 0; i < count; i++) {
                FlowExecution row = new FlowExecution(UUID.randomUUID(), flow, version, OWNER, "{}", progress,
                        harness.clock.instant());
                tx.insert(new ExecutionWrite(row));
            }
            return null;
        });
    }

    // ---- the flow as released, and as changed ---------------------------------------------------
    // @Vetoed: only these tests register them; the @HelidonTest services discover @Flow classes.

    /**
     * What a caller gives.
     *
     * @param item what to send
     */
    public record ParcelInput(@NotBlank String item) {
    }

    /** The state. */
    public static class ParcelState {
        /** What to send. */
        public String item;
        /** Who approved. */
        public String approvedBy;

        /** For reading it back. */
        public ParcelState() {
        }

        /** @param input the caller's */
        public ParcelState(ParcelInput input) {
            this.item = input.item();
        }
    }

    /** Version 1 as released: received, approved by the CEO, shipped. */
    @Flow(name = "parcel", version = 1, input = ParcelInput.class, state = ParcelState.class)
    @Vetoed
    public static class Parcel {
        @Start
        void receive(ParcelState s) {
        }

        @Listen("receive")
        @AsksAgent("ceo")
        AgentAsk askCeo(ParcelState s) {
            return AgentAsk.to("ceo", "Ship " + s.item + "?", s);
        }

        @Listen("askCeo")
        void ship(ParcelState s, AgentAnswer answer) {
            s.approvedBy = answer.answeredBy();
        }
    }

    /** Version 1 changed in place (the mistake): the ask and the last step renamed. */
    @Flow(name = "parcel", version = 1, input = ParcelInput.class, state = ParcelState.class)
    @Vetoed
    public static class ParcelRenamedInPlace {
        @Start
        void receive(ParcelState s) {
        }

        @Listen("receive")
        @AsksAgent("ceo")
        AgentAsk askBoss(ParcelState s) {
            return AgentAsk.to("ceo", "Ship " + s.item + "?", s);
        }

        @Listen("askBoss")
        void dispatch(ParcelState s, AgentAnswer answer) {
            s.approvedBy = answer.answeredBy();
        }
    }

    /** Version 2, built instead of version 1 (the other mistake). */
    @Flow(name = "parcel", version = 2, input = ParcelInput.class, state = ParcelState.class)
    @Vetoed
    public static class ParcelV2 {
        @Start
        void receive(ParcelState s) {
        }

        @Listen("receive")
        @AsksAgent("ceo")
        AgentAsk askCeo(ParcelState s) {
            return AgentAsk.to("ceo", "Ship " + s.item + " now?", s);
        }

        @Listen("askCeo")
        void ship(ParcelState s, AgentAnswer answer) {
            s.approvedBy = answer.answeredBy();
        }
    }
}
