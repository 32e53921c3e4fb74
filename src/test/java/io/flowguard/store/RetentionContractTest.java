package io.flowguard.store;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.flowguard.store.StoreFixture.LEASE;
import static io.flowguard.store.StoreFixture.NOW;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * Retention's SQL ({@link RetentionStore}): a sweep deletes exactly the finished executions that
 * finished before the cutoff, with their events, requests and keys, in batches of at most its
 * limit; an unfinished execution stays however old it is; expired keys go, others stay; and a
 * sweeper that does not hold the lease deletes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionContractTest {

    private static final Instant CUTOFF = NOW.minus(Duration.ofDays(30));
    private static final List<ExecutionStatus> TERMINAL = List.of(ExecutionStatus.COMPLETED, ExecutionStatus.FAILED,
            ExecutionStatus.CANCELLED, ExecutionStatus.TIMED_OUT);
    private static final int BATCH = 2;

    private final StoreFixture fx = new StoreFixture();
    private final RetentionStore retention = new RetentionStore(fx.fresh.dataSource());

    @AfterAll
    void close() {
        fx.close();
    }

    @Test
    void onlyExecutionsFinishedBeforeTheCutoffGoWithTheirChildren() throws SQLException {
        List<UUID> old = new ArrayList<>();
        List<UUID> kept = new ArrayList<>();
        for (ExecutionStatus terminal : TERMINAL) {
            old.add(execution(CUTOFF.minusMillis(1), finished(terminal, CUTOFF.minusMillis(1))));
            kept.add(execution(CUTOFF.minusMillis(1), finished(terminal, CUTOFF))); // at the cutoff: not before it
            kept.add(execution(CUTOFF.minusMillis(1), finished(terminal, NOW.minusSeconds(1))));
        }
        Instant ancient = NOW.minus(Duration.ofDays(400));
        kept.add(execution(ancient, row -> { }));
        kept.add(execution(ancient, row -> row.moveTo(ExecutionStatus.RUNNING, ancient)));
        kept.add(execution(ancient, row -> {
            row.moveTo(ExecutionStatus.RUNNING, ancient);
            row.moveTo(ExecutionStatus.WAITING_AGENT, ancient);
        }));
        UUID stamped = execution(ancient, row -> row.moveTo(ExecutionStatus.RUNNING, ancient));
        // the engine never stamps an unfinished row; the sweep must not rely on that
        fx.update("UPDATE flow_execution SET finished_at = ? WHERE id = ?", ancient, stamped);
        kept.add(stamped);

        List<Integer> batches = sweep();

        for (UUID id : old) {
            assertThat("gone with its children: " + id, children(id), is(List.of(0L, 0L, 0L, 0L)));
        }
        for (UUID id : kept) {
            assertThat("kept with its children: " + id, children(id), is(List.of(1L, 1L, 1L, 1L)));
        }
        assertThat(batches, everyItem(lessThanOrEqualTo(BATCH)));
    }

    @Test
    void expiredKeysGoAndOthersStay() throws SQLException {
        UUID expired = execution(NOW.minusSeconds(60), row -> { }, NOW.minusMillis(1));
        UUID atNow = execution(NOW.minusSeconds(60), row -> { }, NOW); // expires at the sweep: not before it
        UUID valid = execution(NOW.minusSeconds(60), row -> { }, NOW.plusSeconds(1));

        sweep();

        assertThat(children(expired), is(List.of(1L, 1L, 1L, 0L)));
        assertThat(children(atNow), is(List.of(1L, 1L, 1L, 1L)));
        assertThat(children(valid), is(List.of(1L, 1L, 1L, 1L)));
    }

    @Test
    void aSweeperWithoutTheLeaseDeletesNothing() throws SQLException {
        UUID old = execution(CUTOFF.minusSeconds(1), finished(ExecutionStatus.COMPLETED, CUTOFF.minusSeconds(1)));
        assertThat(retention.acquire("other", NOW, NOW.plus(LEASE)), is(true));
        try {
            assertThat("held by another instance", retention.acquire("sweeper", NOW, NOW.plus(LEASE)), is(false));
            for (RetentionStore.Delete delete : RetentionStore.Delete.values()) {
                assertThat(retention.deleteBatch(delete, "sweeper", CUTOFF, BATCH, NOW, NOW.plus(LEASE)), is(-1));
            }
            assertThat(children(old), is(List.of(1L, 1L, 1L, 1L)));
            Instant lapsed = NOW.plus(LEASE).plusMillis(1);
            assertThat("once it lapsed", retention.acquire("sweeper", lapsed, lapsed.plus(LEASE)), is(true));
            assertThat("the instance that lost it deletes nothing more",
                    retention.deleteBatch(RetentionStore.Delete.EXECUTIONS, "other", CUTOFF, BATCH, lapsed,
                            lapsed.plus(LEASE)), is(-1));
            assertThat(children(old), is(List.of(1L, 1L, 1L, 1L)));
        } finally {
            retention.release("other", NOW);
            retention.release("sweeper", NOW);
        }
    }

    /** Runs one sweep as the sweeper does, at {@link StoreFixture#NOW}. @return the batches' sizes */
    private List<Integer> sweep() throws SQLException {
        assertThat(retention.acquire("sweeper", NOW, NOW.plus(LEASE)), is(true));
        List<Integer> batches = new ArrayList<>();
        try {
            for (RetentionStore.Delete delete : RetentionStore.Delete.values()) {
                Instant before = delete == RetentionStore.Delete.EXPIRED_KEYS ? NOW : CUTOFF;
                int n;
                do {
                    n = retention.deleteBatch(delete, "sweeper", before, BATCH, NOW, NOW.plus(LEASE));
                    assertThat("the sweeper holds the lease", n >= 0, is(true));
                    batches.add(n);
                } while (n > 0);
            }
        } finally {
            retention.release("sweeper", NOW);
        }
        return batches;
    }

    private static Consumer<FlowExecution> finished(ExecutionStatus terminal, Instant at) {
        return row -> {
            row.moveTo(ExecutionStatus.RUNNING, at);
            row.moveTo(terminal, at);
        };
    }

    private UUID execution(Instant created, Consumer<FlowExecution> shape) {
        return execution(created, shape, NOW.plus(Duration.ofDays(1)));
    }

    /** An execution with one event, one agent request and one idempotency key expiring at {@code keyExpires}. */
    private UUID execution(Instant created, Consumer<FlowExecution> shape, Instant keyExpires) {
        String owner = "retention-" + UUID.randomUUID();
        FlowExecution row = new FlowExecution(UUID.randomUUID(), "contract", 1, owner, "{}", "{}", created);
        shape.accept(row);
        ExecutionWrite write = new ExecutionWrite(row);
        write.append(EventType.CREATED, null, owner, "contract v1", created);
        write.ask(new AgentRequest(UUID.randomUUID(), row.id(), "ceo", "ask", "Approve?", null,
                created.plusSeconds(60), created));
        fx.tx(tx -> {
            tx.insert(write);
            tx.insertKey(new IdempotencyKey(owner, "key", "hash", row.id(), created, keyExpires));
            return null;
        });
        return row.id();
    }

    /** @return how many rows the execution has, and how many events, agent requests and keys */
    private List<Long> children(UUID id) {
        return List.of(fx.count("SELECT COUNT(*) FROM flow_execution WHERE id = ?", id),
                fx.count("SELECT COUNT(*) FROM execution_event WHERE execution_id = ?", id),
                fx.count("SELECT COUNT(*) FROM agent_request WHERE execution_id = ?", id),
                fx.count("SELECT COUNT(*) FROM idempotency_key WHERE execution_id = ?", id));
    }
}
