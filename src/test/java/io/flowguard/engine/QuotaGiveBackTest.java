package io.flowguard.engine;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import io.flowguard.store.ExecutionStatus;
import io.flowguard.testflows.FailingStartFlow;
import io.flowguard.testflows.WaitFlow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The per-owner cap on unfinished executions: at the cap a start is refused and writes nothing;
 * every way an execution finishes gives exactly one slot back, so one start succeeds again and
 * the next is refused.
 */
class QuotaGiveBackTest {

    private static final int CAP = 2;
    private static final String OWNER = "quota-owner";

    private final EngineHarness harness = new EngineHarness();
    private final Engine engine = harness.instance("quota")
            .settings(TunedSettings.noWorkers().maxActivePerOwner(CAP).build())
            .flow(WaitFlow.class).flow(FailingStartFlow.class).build();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aStartOverTheCapIsRefusedAndWritesNothing() {
        start("test-wait");
        start("test-wait");
        engine.runDue();
        OwnerRows before = OwnerRows.of(harness.dataSource, OWNER);
        assertThat(before.quotaSlots(), is(CAP));

        assertRefused();

        assertThat(OwnerRows.of(harness.dataSource, OWNER), is(before));
    }

    @Test
    void aCompletedExecutionGivesItsSlotBack() {
        UUID first = fill("test-wait");
        engine.runDue();
        RequestSnapshot request = engine.inbox(Set.of("test_lead"), first, 10).get(0);
        engine.answer(request.id(), Set.of("test_lead"), "lead", "{\"go\":true}");
        engine.runDue();
        assertOneSlotBack(first, ExecutionStatus.COMPLETED);
    }

    @Test
    void aCancelledExecutionGivesItsSlotBack() {
        UUID first = fill("test-wait");
        engine.cancel(first, OWNER, null, null);
        assertOneSlotBack(first, ExecutionStatus.CANCELLED);
    }

    @Test
    void aFailedExecutionGivesItsSlotBack() {
        UUID first = fill("test-failing-start");
        engine.runDue();
        assertOneSlotBack(first, ExecutionStatus.FAILED);
    }

    @Test
    void aTimedOutExecutionGivesItsSlotBack() {
        UUID first = start("test-wait");
        engine.runDue();
        harness.clock.advance(Duration.ofMinutes(1));
        reachTheCapWithAWaiter();
        engine.runDue();
        RequestSnapshot request = engine.inbox(Set.of("test_lead"), first, 10).get(0);
        harness.clock.advance(Duration.between(harness.clock.instant(), request.deadline()));
        engine.runDue();
        assertOneSlotBack(first, ExecutionStatus.TIMED_OUT);
    }

    /** @return an execution of {@code flow}, started first of the two the cap allows */
    private UUID fill(String flow) {
        UUID first = start(flow);
        reachTheCapWithAWaiter();
        return first;
    }

    /** Starts the second execution the cap allows, one that waits, and shows a third is refused. */
    private void reachTheCapWithAWaiter() {
        start("test-wait");
        assertRefused();
    }

    private void assertOneSlotBack(UUID finished, ExecutionStatus how) {
        assertThat(engine.get(finished).orElseThrow().status(), is(how));
        assertThat(OwnerRows.of(harness.dataSource, OWNER).quotaSlots(), is(CAP - 1));

        assertThat(engine.get(start("test-wait")).orElseThrow().status(), is(ExecutionStatus.PENDING));

        assertRefused();
        assertThat(OwnerRows.of(harness.dataSource, OWNER).quotaSlots(), is(CAP));
    }

    private void assertRefused() {
        EngineException refused = assertThrows(EngineException.class, () -> start("test-wait"));
        assertThat(refused.problem(), is(EngineException.Problem.QUOTA_EXCEEDED));
    }

    private UUID start(String flow) {
        return engine.start(flow, "{\"key\":\"q\"}", OWNER, null).execution().id();
    }
}
