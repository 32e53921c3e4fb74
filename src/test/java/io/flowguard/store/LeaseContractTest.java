package io.flowguard.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import io.flowguard.testing.Await;
import io.flowguard.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.flowguard.store.StoreFixture.LEASE;
import static io.flowguard.store.StoreFixture.NOW;
import static io.flowguard.store.StoreFixture.runningUnder;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lease contract of {@link LeaseStore}: what a claim takes, that concurrent claimers never
 * share a row, that a row another transaction locks is skipped rather than waited for, and that
 * heartbeats and releases touch only the holder's lease. None of them changes {@code version}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaseContractTest {

    /** Races of the concurrent claimers: one interleaving may happen not to overlap. */
    private static final int ROUNDS = 5;

    private final StoreFixture fx = new StoreFixture();

    @BeforeEach
    void onlyThisTestsRows() {
        fx.update("DELETE FROM flow_execution"); // a claim takes whatever is due: start from none
        fx.reclaims.set(0);
    }

    @AfterAll
    void close() {
        fx.close();
    }

    @Test
    void aClaimTakesOnlyDueRunnableRowsWhoseLeaseIsFreeOrExpired() {
        UUID pendingDueNow = fx.insert("claims", row -> row.scheduleAt(NOW)).id();
        UUID runningDue = fx.insert("claims", row -> row.moveTo(ExecutionStatus.RUNNING, NOW)).id();
        UUID expiredLease = fx.insert("claims", runningUnder("dead-worker", NOW.minusMillis(1))).id();
        fx.insert("claims", row -> row.scheduleAt(NOW.plusMillis(1))); // not due yet
        fx.insert("claims", row -> row.scheduleAt(null)); // nothing scheduled
        fx.insert("claims", runningUnder("live-worker", NOW.plusMillis(1))); // lease still held
        fx.insert("claims", row -> {
            row.moveTo(ExecutionStatus.RUNNING, NOW);
            row.moveTo(ExecutionStatus.WAITING_AGENT, NOW);
            row.scheduleAt(NOW.minusSeconds(1));
        });
        for (ExecutionStatus terminal : List.of(ExecutionStatus.COMPLETED, ExecutionStatus.FAILED,
                ExecutionStatus.CANCELLED, ExecutionStatus.TIMED_OUT)) {
            fx.insert("claims", row -> {
                row.moveTo(ExecutionStatus.RUNNING, NOW);
                row.moveTo(terminal, NOW);
                row.scheduleAt(NOW.minusSeconds(1)); // due, so that only the status keeps it unclaimed
            });
        }

        List<UUID> claimed = fx.leases.claim("claimer", NOW, NOW.plus(LEASE), 100);

        assertThat(claimed, containsInAnyOrder(pendingDueNow, runningDue, expiredLease));
        assertThat("one claim took a lease another worker let expire", fx.reclaims.get(), is(1));
    }

    @Test
    void aLeaseIsNotClaimableJustBeforeItExpiresAndIsJustAfter() {
        Instant expiry = NOW.plus(LEASE);
        UUID id = fx.insert("claims", runningUnder("first", expiry)).id();

        assertThat(fx.leases.claim("second", expiry.minusMillis(1), expiry.plus(LEASE), 10), is(empty()));
        assertThat(fx.read(id).leaseOwner(), is("first"));

        assertThat(fx.leases.claim("second", expiry.plusMillis(1), expiry.plus(LEASE), 10), contains(id));
        assertThat(fx.read(id).leaseOwner(), is("second"));
    }

    @Test
    void aClaimSetsTheLeaseAndLeavesVersionStatusAndStateAlone() {
        FlowExecution inserted = fx.insert("claims", row -> row.moveTo(ExecutionStatus.RUNNING, NOW));
        FlowExecution before = fx.read(inserted.id());
        ExecutionWrite change = new ExecutionWrite(before);
        before.replaceState("{\"n\":1}", NOW);
        assertThat(fx.tx(tx -> tx.commitIfUnchanged(change)), is(true)); // version 1, so 0 is not a default
        StoreFixture.Footprint changed = fx.footprint(inserted.id());

        assertThat(fx.leases.claim("claimer", NOW, NOW.plus(LEASE), 10), contains(inserted.id()));

        FlowExecution after = fx.read(inserted.id());
        assertThat(after.leaseOwner(), is("claimer"));
        assertThat(after.leaseExpiresAt(), is(NOW.plus(LEASE)));
        assertThat(after.version(), is(1L));
        assertThat(after.status(), is(ExecutionStatus.RUNNING));
        assertThat(after.state(), is("{\"n\":1}"));
        assertThat("nothing else of the row, its events or requests changed",
                fx.footprint(inserted.id()).withoutLease(), is(changed.withoutLease()));
    }

    @Test
    void aClaimTakesAtMostItsLimitEarliestDueFirst() {
        UUID late = fx.insert("claims", row -> row.scheduleAt(NOW.minusSeconds(1))).id();
        UUID earliest = fx.insert("claims", row -> row.scheduleAt(NOW.minusSeconds(3))).id();
        UUID early = fx.insert("claims", row -> row.scheduleAt(NOW.minusSeconds(2))).id();

        assertThat(new HashSet<>(fx.leases.claim("claimer", NOW, NOW.plus(LEASE), 2)), is(Set.of(earliest, early)));
        assertThat(fx.leases.claim("claimer", NOW, NOW.plus(LEASE), 2), contains(late));
    }

    @Test
    void concurrentClaimersGetDisjointRows() throws Exception {
        int claimers = 4;
        int rows = 40;
        for (int round = 0; round < ROUNDS; round++) { // rows claimed in a round stay leased: each round has its own
            Set<UUID> inserted = new HashSet<>();
            fx.insertAll(rows, "claims", row -> row.moveTo(ExecutionStatus.RUNNING, NOW)).forEach(r -> inserted.add(r.id()));
            List<Callable<?>> claims = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                String worker = "claimer-" + i;
                claims.add(() -> fx.leases.claim(worker, NOW, NOW.plus(LEASE), rows));
            }

            List<Object> results = StoreFixture.race(claims);

            List<UUID> all = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                @SuppressWarnings("unchecked")
                List<UUID> mine = (List<UUID>) results.get(i);
                for (UUID id : mine) {
                    assertThat("round " + round + ": the lease is held by the claimer that returned the row",
                            fx.leases.leaseOwner(id), is("claimer-" + i));
                }
                all.addAll(mine);
            }
            assertThat("round " + round + ": no row was claimed twice", new HashSet<>(all), hasSize(all.size()));
            assertThat("round " + round + ": every row was claimed by someone", new HashSet<>(all), is(inserted));
        }
    }

    @Test
    void onPostgresqlARowAnotherTransactionLocksIsSkippedWithoutWaiting() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "H2 has no SKIP LOCKED: its claim reads, then updates conditionally");
        UUID first = fx.insert("claims", row -> row.scheduleAt(NOW.minusSeconds(3))).id();
        UUID locked = fx.insert("claims", row -> row.scheduleAt(NOW.minusSeconds(2))).id();
        UUID last = fx.insert("claims", row -> row.scheduleAt(NOW.minusSeconds(1))).id();

        try (Connection holder = fx.fresh.database().connect()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT id FROM flow_execution WHERE id = ? FOR UPDATE")) {
                lock.setObject(1, locked);
                lock.executeQuery().close();
            }
            CompletableFuture<List<UUID>> claim = CompletableFuture.supplyAsync(
                    () -> fx.leases.claim("claimer", NOW, NOW.plus(LEASE), 10), r -> Thread.ofPlatform().start(r));
            Await.until("the claim to return while another transaction holds a lock on one row",
                    Duration.ofSeconds(10), claim::isDone);
            assertThat(claim.join(), containsInAnyOrder(first, last));
            assertThat(fx.leases.leaseOwner(locked), is(nullValue()));
            holder.rollback();
        }
        assertThat("once the lock is gone the row is claimable",
                fx.leases.claim("next", NOW, NOW.plus(LEASE), 10), contains(locked));
    }

    @Test
    void aHeartbeatExtendsOnlyTheHoldersUnexpiredLease() {
        Instant expiry = NOW.plus(LEASE);
        Instant extended = expiry.plus(LEASE);
        UUID id = fx.insert("leases", runningUnder("holder", expiry)).id();
        StoreFixture.Footprint before = fx.footprint(id);

        assertThat(fx.leases.heartbeat(id, "other", NOW, extended), is(false));
        assertThat(fx.leases.heartbeat(id, "holder", expiry, extended), is(false)); // at its expiry it has lapsed
        assertThat(fx.leases.heartbeat(id, "holder", expiry.plusMillis(1), extended), is(false));
        assertThat("refused heartbeats changed nothing", fx.footprint(id), is(before));

        assertThat(fx.leases.heartbeat(id, "holder", expiry.minusMillis(1), extended), is(true));
        FlowExecution after = fx.read(id);
        assertThat(after.leaseOwner(), is("holder"));
        assertThat(after.leaseExpiresAt(), is(extended));
        assertThat(after.version(), is(0L));
    }

    @Test
    void aReleaseLetsGoOfOnlyTheHoldersLease() {
        UUID id = fx.insert("leases", runningUnder("holder", NOW.plus(LEASE))).id();
        StoreFixture.Footprint before = fx.footprint(id);

        fx.leases.release(id, "other");
        assertThat("another worker's release changed nothing", fx.footprint(id), is(before));

        fx.leases.release(id, "holder");
        FlowExecution after = fx.read(id);
        assertThat(after.leaseOwner(), is(nullValue()));
        assertThat(after.leaseExpiresAt(), is(nullValue()));
        assertThat(after.version(), is(0L));
        assertThat("released, it is claimable at once", fx.leases.claim("next", NOW, NOW.plus(LEASE), 10), contains(id));
    }
}
