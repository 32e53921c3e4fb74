package io.flowguard.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import io.flowguard.store.StoreTransaction.QuotaTake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.flowguard.store.StoreFixture.NOW;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The owner quota: {@link StoreTransaction#takeQuota} takes a slot only below the cap (also when
 * starts race), says when the owner has no counter yet, and a write that ends an execution
 * ({@link ExecutionWrite#giveBackQuota()}) gives exactly one slot back, never going below zero.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaContractTest {

    private static final int CAP = 3;

    private final StoreFixture fx = new StoreFixture();

    @AfterAll
    void close() {
        fx.close();
    }

    @Test
    void anOwnerWithoutACounterHasNoRowUntilItIsCreated() {
        String owner = owner();

        assertThat(take(owner), is(QuotaTake.NO_ROW));
        assertThat("asking created nothing", fx.quota(owner), is(nullValue()));

        fx.store.createQuota(owner, NOW);
        assertThat(fx.quota(owner), is(0));
        fx.store.createQuota(owner, NOW); // a concurrent first start created it too: harmless
        assertThat(take(owner), is(QuotaTake.TAKEN));
        assertThat(fx.quota(owner), is(1));
    }

    @Test
    void slotsAreTakenUpToTheCapAndNoneAtIt() {
        String owner = owner();
        String neighbour = owner();
        fx.store.createQuota(owner, NOW);
        fx.takeSlots(neighbour, CAP);

        for (int active = 0; active < CAP; active++) { // the last of these is at cap - 1
            assertThat("at " + active + " of " + CAP, take(owner), is(QuotaTake.TAKEN));
            assertThat(fx.quota(owner), is(active + 1));
        }
        assertThat("the cap + 1st take", take(owner), is(QuotaTake.FULL));
        assertThat("a full take writes nothing", fx.quota(owner), is(CAP));
        assertThat("another owner's counter is its own", fx.quota(neighbour), is(CAP));
        assertThat("a cap lowered below the active count is full too",
                fx.tx(tx -> tx.takeQuota(owner, CAP - 1, NOW)), is(QuotaTake.FULL));
        assertThat(fx.quota(owner), is(CAP));
    }

    @Test
    void aTakeInATransactionThatRollsBackLeavesTheCount() {
        String owner = owner();
        fx.takeSlots(owner, 1);

        assertThrows(IllegalStateException.class, () -> fx.tx(tx -> {
            tx.takeQuota(owner, CAP, NOW);
            throw new IllegalStateException("the start failed after taking its slot");
        }));

        assertThat(fx.quota(owner), is(1));
    }

    @Test
    void racingTakesHoldTheCap() throws Exception {
        String owner = owner();
        fx.store.createQuota(owner, NOW);
        List<Callable<?>> takes = new ArrayList<>();
        for (int i = 0; i < 2 * CAP; i++) {
            takes.add(() -> take(owner));
        }

        List<Object> results = StoreFixture.race(takes);

        assertThat(results.toString(), Collections.frequency(results, QuotaTake.TAKEN), is(CAP));
        assertThat(results.toString(), Collections.frequency(results, QuotaTake.FULL), is(CAP));
        assertThat(fx.quota(owner), is(CAP));
    }

    @Test
    void anEndingWriteGivesBackExactlyOneSlotOfItsOwner() {
        String owner = owner();
        String neighbour = owner();
        fx.takeSlots(owner, 2);
        fx.takeSlots(neighbour, 2);
        UUID id = fx.insert(owner, row -> row.moveTo(ExecutionStatus.RUNNING, NOW)).id();

        assertThat(end(id), is(true));

        assertThat(fx.quota(owner), is(1));
        assertThat(fx.quota(neighbour), is(2));
    }

    @Test
    void aGiveBackNeverGoesBelowZero() {
        String owner = owner();
        fx.store.createQuota(owner, NOW);
        UUID id = fx.insert(owner, row -> row.moveTo(ExecutionStatus.RUNNING, NOW)).id();

        assertThat("the write commits", end(id), is(true));

        assertThat(fx.quota(owner), is(0));
        assertThat(fx.read(id).status(), is(ExecutionStatus.COMPLETED));
    }

    @Test
    void aWriteThatDoesNotEndTheExecutionKeepsTheSlot() {
        String owner = owner();
        fx.takeSlots(owner, 1);
        FlowExecution copy = fx.read(fx.insert(owner, row -> row.moveTo(ExecutionStatus.RUNNING, NOW)).id());
        ExecutionWrite write = new ExecutionWrite(copy);
        copy.replaceState("{\"step\":2}", NOW);

        assertThat(fx.tx(tx -> tx.commitIfUnchanged(write)), is(true));

        assertThat(fx.quota(owner), is(1));
    }

    private QuotaTake take(String owner) {
        return fx.tx(tx -> tx.takeQuota(owner, CAP, NOW));
    }

    private boolean end(UUID id) {
        FlowExecution copy = fx.read(id);
        ExecutionWrite write = new ExecutionWrite(copy);
        copy.moveTo(ExecutionStatus.COMPLETED, NOW);
        write.append(EventType.STATUS, null, "worker", "COMPLETED", NOW);
        write.giveBackQuota();
        return fx.tx(tx -> tx.commitIfUnchanged(write));
    }

    private static String owner() {
        return "quota-" + UUID.randomUUID();
    }
}
