package io.flowguard.store;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.flowguard.store.StoreFixture.LEASE;
import static io.flowguard.store.StoreFixture.NOW;
import static io.flowguard.store.StoreFixture.runningUnder;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * The step fence ({@link StoreTransaction#commitStep}) and the version check of
 * {@link StoreTransaction#commitIfUnchanged}: a step's result is written only by the worker that
 * holds an unexpired lease on a row still at the version the step ran on; any other change only
 * at the version it was decided on. A refused write writes nothing at all: not the row, not its
 * events, not its requests (new or closed), not the quota, and runs none of its after-commit actions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FenceContractTest {

    private static final Instant EXPIRY = NOW.plus(LEASE);

    private final StoreFixture fx = new StoreFixture();

    @AfterAll
    void close() {
        fx.close();
    }

    @Test
    void theHolderOfAnUnexpiredLeaseCommitsItsStepAtTheExpectedVersion() {
        UUID id = leasedExecutionWithAPendingRequest("worker");
        FlowExecution copy = fx.read(id);
        AtomicBoolean ran = new AtomicBoolean();
        ExecutionWrite write = stepResult(copy, "worker", ran);

        assertThat(fx.tx(tx -> tx.commitStep(write, "worker", EXPIRY.minusMillis(1))), is(true));

        FlowExecution after = fx.read(id);
        assertThat(after.version(), is(1L));
        assertThat("the copy knows the version it was written as", copy.version(), is(1L));
        assertThat(after.status(), is(ExecutionStatus.COMPLETED));
        assertThat(after.state(), is("{\"done\":true}"));
        assertThat(after.leaseOwner(), is(nullValue()));
        StoreFixture.Footprint written = fx.footprint(id);
        assertThat(written.events(), hasSize(2));
        assertThat(written.requests(), hasSize(2));
        assertThat("the open request was closed", fx.count("SELECT COUNT(*) FROM agent_request WHERE execution_id = ? "
                + "AND status = 'CANCELLED'", id), is(1L));
        assertThat("the slot was given back", written.quota(), is(0));
        assertThat(ran.get(), is(true));
    }

    @Test
    void anotherWorkerCommitsNothing() {
        UUID id = leasedExecutionWithAPendingRequest("holder");

        assertRefused(id, (copy, ran) -> fx.tx(tx -> tx.commitStep(stepResult(copy, "intruder", ran), "intruder", NOW)));
    }

    @Test
    void theHolderCommitsNothingOnceItsLeaseExpired() {
        UUID atExpiry = leasedExecutionWithAPendingRequest("worker");
        assertRefused(atExpiry, (copy, ran) -> fx.tx(tx -> tx.commitStep(stepResult(copy, "worker", ran), "worker",
                EXPIRY)));

        UUID afterExpiry = leasedExecutionWithAPendingRequest("worker");
        assertRefused(afterExpiry, (copy, ran) -> fx.tx(tx -> tx.commitStep(stepResult(copy, "worker", ran), "worker",
                EXPIRY.plusMillis(1))));
    }

    @Test
    void theHolderCommitsNothingWhenTheRowMovedOnSinceItsStepRead() {
        UUID id = leasedExecutionWithAPendingRequest("worker");
        FlowExecution stepRead = fx.read(id);
        FlowExecution meanwhile = fx.read(id);
        ExecutionWrite change = new ExecutionWrite(meanwhile);
        meanwhile.replaceState("{\"changed\":\"meanwhile\"}", NOW); // committed while the step ran; the lease stays
        assertThat(fx.tx(tx -> tx.commitIfUnchanged(change)), is(true));
        assertThat(fx.read(id).leaseOwner(), is("worker"));

        assertRefused(id, (ignored, ran) -> fx.tx(tx -> tx.commitStep(stepResult(stepRead, "worker", ran), "worker",
                NOW)));
        assertThat(fx.read(id).state(), is("{\"changed\":\"meanwhile\"}"));
    }

    @Test
    void aChangeAtTheVersionReadCommitsWhileAWorkerHoldsTheLeaseAndThenFencesThatWorker() {
        UUID id = leasedExecutionWithAPendingRequest("worker");
        FlowExecution stepRead = fx.read(id);

        assertThat(cancel(fx.read(id)), is(true));

        FlowExecution cancelled = fx.read(id);
        assertThat(cancelled.status(), is(ExecutionStatus.CANCELLED));
        assertThat(cancelled.version(), is(1L));
        assertThat(fx.footprint(id).events(), hasSize(2));
        assertThat(fx.footprint(id).quota(), is(0));
        assertRefused(id, (ignored, ran) -> fx.tx(tx -> tx.commitStep(stepResult(stepRead, "worker", ran), "worker",
                NOW)));
    }

    @Test
    void aChangeDecidedOnAStaleVersionCommitsNothing() {
        UUID id = leasedExecutionWithAPendingRequest("worker");
        FlowExecution stale = fx.read(id);
        FlowExecution current = fx.read(id);
        ExecutionWrite first = new ExecutionWrite(current);
        current.replaceState("{\"answered\":true}", NOW);
        assertThat(fx.tx(tx -> tx.commitIfUnchanged(first)), is(true));

        assertRefused(id, (ignored, ran) -> fx.tx(tx -> {
            ExecutionWrite late = new ExecutionWrite(stale);
            stale.moveTo(ExecutionStatus.CANCELLED, NOW);
            stale.replaceState("{\"cancelled\":true}", NOW);
            late.append(EventType.CANCELLED, null, "owner", null, NOW);
            late.ask(new AgentRequest(UUID.randomUUID(), id, "ceo", "late", "Late?", null, NOW.plusSeconds(60), NOW));
            late.closeOpenRequests();
            late.giveBackQuota();
            late.afterCommit(() -> ran.set(true));
            return tx.commitIfUnchanged(late);
        }));
        assertThat(fx.read(id).state(), is("{\"answered\":true}"));
    }

    /** A RUNNING execution leased to {@code worker} until {@link #EXPIRY}, with a pending request and a quota slot. */
    private UUID leasedExecutionWithAPendingRequest(String worker) {
        String owner = "fence-" + UUID.randomUUID();
        fx.takeSlots(owner, 1);
        return fx.insertAsking(owner, runningUnder(worker, EXPIRY), NOW.plusSeconds(60)).executionId();
    }

    /** Everything a step's result may carry: new state and status, an event, a new request, closed requests, the slot. */
    private static ExecutionWrite stepResult(FlowExecution copy, String worker, AtomicBoolean ran) {
        ExecutionWrite write = new ExecutionWrite(copy);
        copy.replaceState("{\"done\":true}", NOW);
        copy.replaceProgress("{\"queue\":[]}");
        copy.moveTo(ExecutionStatus.COMPLETED, NOW);
        copy.lease(null, null);
        write.append(EventType.STEP_COMPLETED, "work", worker, null, NOW);
        write.ask(new AgentRequest(UUID.randomUUID(), copy.id(), "cfo", "next", "And you?", null, NOW.plusSeconds(60),
                NOW));
        write.closeOpenRequests();
        write.giveBackQuota();
        write.afterCommit(() -> ran.set(true));
        return write;
    }

    /** The owner's cancellation, decided on {@code copy}. */
    private boolean cancel(FlowExecution copy) {
        ExecutionWrite write = new ExecutionWrite(copy);
        copy.moveTo(ExecutionStatus.CANCELLED, NOW);
        copy.lease(null, null);
        write.append(EventType.CANCELLED, null, "owner", null, NOW);
        write.closeOpenRequests();
        write.giveBackQuota();
        return fx.tx(tx -> tx.commitIfUnchanged(write));
    }

    /** Runs {@code write} (given a fresh copy and a flag its after-commit action sets) and checks it left no trace. */
    private void assertRefused(UUID id, BiFunction<FlowExecution, AtomicBoolean, Boolean> write) {
        StoreFixture.Footprint before = fx.footprint(id);
        AtomicBoolean ran = new AtomicBoolean();
        assertThat("the guard refused the write", write.apply(fx.read(id), ran), is(false));
        assertThat("a refused write wrote nothing", fx.footprint(id), is(before));
        assertThat("a refused write ran no after-commit action", ran.get(), is(false));
    }
}
