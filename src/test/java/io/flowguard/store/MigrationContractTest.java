package io.flowguard.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.flowguard.store.StoreFixture.LEASE;
import static io.flowguard.store.StoreFixture.NOW;
import static io.flowguard.store.StoreFixture.runningUnder;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The guard of a migration, {@link StoreTransaction#commitMigration}: an execution moves to another
 * flow version only at the version the move was decided on, still on the version it moves from,
 * unfinished, and while no worker holds a live lease on it; its requests' steps are renamed in the
 * same transaction, each at the version it was read at. A refused move writes nothing at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationContractTest {

    private static final Instant EXPIRY = NOW.plus(LEASE);

    private final StoreFixture fx = new StoreFixture();

    @AfterAll
    void close() {
        fx.close();
    }

    @Test
    void aWaitingExecutionMovesWithItsRequestsAndOneEvent() {
        AgentRequest request = fx.insertWaiting("migrate-" + UUID.randomUUID(), NOW.plusSeconds(60));
        UUID id = request.executionId();
        FlowExecution copy = fx.read(id);
        AtomicBoolean ran = new AtomicBoolean();

        assertThat(fx.tx(tx -> tx.commitMigration(moved(copy, ran), 1, List.of(renamed(request)), NOW)), is(true));

        FlowExecution after = fx.read(id);
        assertThat(after.flowVersion(), is(2));
        assertThat(after.version(), is(1L));
        assertThat(after.state(), is("{\"v\":2}"));
        assertThat(after.progress(), is("{\"waiting\":[\"askAgain\"]}"));
        assertThat(after.status(), is(ExecutionStatus.WAITING_AGENT));
        assertThat(fx.rows("SELECT step, status, version FROM agent_request WHERE id = ?", request.id()),
                is(List.of(List.of("askAgain", "PENDING", 1L))));
        assertThat(fx.footprint(id).events(), hasSize(2));
        assertThat(ran.get(), is(true));
    }

    @Test
    void anExecutionMovesNotWhileAWorkerHoldsALiveLeaseAndOnceItExpired() {
        AgentRequest request = fx.insertAsking("migrate-" + UUID.randomUUID(), runningUnder("worker", EXPIRY),
                NOW.plusSeconds(60));
        UUID id = request.executionId();

        assertRefused(id, (copy, ran) -> fx.tx(tx -> tx.commitMigration(moved(copy, ran), 1, List.of(renamed(request)),
                EXPIRY.minusMillis(1))));
        assertThat("at its expiry the lease is no longer live", fx.tx(tx -> tx.commitMigration(
                moved(fx.read(id), new AtomicBoolean()), 1, List.of(renamed(request)), EXPIRY)), is(true));
    }

    @Test
    void aMoveDecidedOnAStaleVersionWritesNothing() {
        AgentRequest request = fx.insertWaiting("migrate-" + UUID.randomUUID(), NOW.plusSeconds(60));
        UUID id = request.executionId();
        FlowExecution stale = fx.read(id);
        FlowExecution current = fx.read(id);
        ExecutionWrite meanwhile = new ExecutionWrite(current);
        current.replaceState("{\"answered\":true}", NOW);
        assertThat(fx.tx(tx -> tx.commitIfUnchanged(meanwhile)), is(true));

        assertRefused(id, (ignored, ran) -> fx.tx(tx -> tx.commitMigration(moved(stale, ran), 1,
                List.of(renamed(request)), NOW)));
    }

    @Test
    void anExecutionNoLongerOnTheOldVersionOrFinishedDoesNotMove() {
        AgentRequest other = fx.insertWaiting("migrate-" + UUID.randomUUID(), NOW.plusSeconds(60));
        fx.update("UPDATE flow_execution SET flow_version = 3 WHERE id = ?", other.executionId());
        assertRefused(other.executionId(), (copy, ran) -> fx.tx(tx -> tx.commitMigration(moved(copy, ran), 1,
                List.of(renamed(other)), NOW)));

        AgentRequest finished = fx.insertWaiting("migrate-" + UUID.randomUUID(), NOW.plusSeconds(60));
        fx.update("UPDATE flow_execution SET status = 'COMPLETED' WHERE id = ?", finished.executionId());
        assertRefused(finished.executionId(), (copy, ran) -> fx.tx(tx -> tx.commitMigration(moved(copy, ran), 1,
                List.of(renamed(finished)), NOW)));
    }

    @Test
    void aRequestThatChangedWithoutItsExecutionRollsTheWholeMoveBack() {
        AgentRequest request = fx.insertWaiting("migrate-" + UUID.randomUUID(), NOW.plusSeconds(60));
        UUID id = request.executionId();
        fx.update("UPDATE agent_request SET version = version + 1 WHERE id = ?", request.id());
        StoreFixture.Footprint before = fx.footprint(id);

        assertThrows(IllegalStateException.class, () -> fx.tx(tx -> tx.commitMigration(
                moved(fx.read(id), new AtomicBoolean()), 1, List.of(renamed(request)), NOW)));

        assertThat(fx.footprint(id), is(before));
        assertThat(fx.read(id).flowVersion(), is(1));
    }

    /** The move to version 2 a migration decides on {@code copy}. */
    private static ExecutionWrite moved(FlowExecution copy, AtomicBoolean ran) {
        ExecutionWrite write = new ExecutionWrite(copy);
        copy.migrateTo(2, NOW);
        copy.replaceState("{\"v\":2}", NOW);
        copy.replaceProgress("{\"waiting\":[\"askAgain\"]}");
        write.append(EventType.MIGRATED, null, "admin", "v1 -> v2", NOW);
        write.afterCommit(() -> ran.set(true));
        return write;
    }

    private static StoreTransaction.RequestStep renamed(AgentRequest request) {
        return new StoreTransaction.RequestStep(request.id(), 0, "askAgain");
    }

    /** Runs the move (given a fresh copy and a flag its after-commit action sets) and checks it left no trace. */
    private void assertRefused(UUID id, java.util.function.BiFunction<FlowExecution, AtomicBoolean, Boolean> move) {
        StoreFixture.Footprint before = fx.footprint(id);
        List<List<Object>> steps = fx.rows("SELECT step FROM agent_request WHERE execution_id = ?", id);
        AtomicBoolean ran = new AtomicBoolean();
        assertThat("the guard refused the move", move.apply(fx.read(id), ran), is(false));
        assertThat("a refused move wrote nothing", fx.footprint(id), is(before));
        assertThat(fx.rows("SELECT step FROM agent_request WHERE execution_id = ?", id), is(steps));
        assertThat("a refused move ran no after-commit action", ran.get(), is(false));
    }
}
