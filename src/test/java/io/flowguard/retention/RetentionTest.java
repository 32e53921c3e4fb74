package io.flowguard.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.flowguard.service.DataSourceProducer;
import io.flowguard.store.RetentionStore;
import io.flowguard.testing.RowCounts;
import io.flowguard.testing.TestDatabase;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * Retention on 10,000 executions finished 40 days ago and 1,000 recent ones (plus old ones that
 * never finished): exactly the old finished ones go, with their events, requests and keys, in
 * transactions of at most 1,000 rows; expired idempotency keys go too; an execution whose status
 * is not finished stays whatever its finish time says; and while another
 * instance holds the lease, a sweep deletes nothing.
 */
@HelidonTest
class RetentionTest {

    private static final String OLD = "retention-old-" + UUID.randomUUID();
    private static final String RECENT = "retention-recent-" + UUID.randomUUID();
    private static final String UNFINISHED = "retention-unfinished-" + UUID.randomUUID();
    private static final String[] TERMINAL = {"COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"};
    private static final String[] NOT_FINISHED = {"PENDING", "RUNNING", "WAITING_AGENT"};
    /** What a sweep must keep of executions that are not finished: all but their expired keys. */
    private static final String[] KEPT = {"executions", "execution versions", "events", "agent requests"};
    /** Event ids below anything the id sequence hands out, so test rows never collide with the engine's. */
    private static final AtomicLong EVENT_IDS = new AtomicLong(-1_000_000_000L);

    @Inject
    RetentionSweeper retention;

    @Inject
    @Named(DataSourceProducer.NAME)
    DataSource dataSource;

    @Test
    void exactlyTheOldFinishedExecutionsGoInBoundedBatches() throws SQLException {
        Instant now = Instant.now();
        insert(OLD, 10_000, now.minus(40, ChronoUnit.DAYS), TERMINAL, true);
        insert(RECENT, 1_000, now.minus(1, ChronoUnit.DAYS), TERMINAL, true);
        insert(UNFINISHED, 100, now.minus(60, ChronoUnit.DAYS), NOT_FINISHED, false);
        RowCounts oldBefore = RowCounts.of(OLD);
        RowCounts recentBefore = RowCounts.of(RECENT);
        RowCounts unfinishedBefore = RowCounts.of(UNFINISHED);
        assertThat(oldBefore.get("executions"), is(10_000L));
        assertThat(oldBefore.get("events"), is(30_000L));
        // what any test left behind finished over 30 days ago goes as well, so the report is checked against all of it
        Instant cutoff = Instant.now().minus(30, ChronoUnit.DAYS);
        String old = " JOIN flow_execution f ON f.id = x.execution_id WHERE f.finished_at < ?"
                + " AND f.status IN ('COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT')";
        long oldExecutions = count("SELECT COUNT(*) FROM flow_execution f WHERE f.finished_at < ?"
                + " AND f.status IN ('COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT')", cutoff);
        long oldEvents = count("SELECT COUNT(*) FROM execution_event x" + old, cutoff);
        long oldRequests = count("SELECT COUNT(*) FROM agent_request x" + old, cutoff);

        RetentionReport report = retention.sweep();
        System.out.println(report + " (10,000 old and 1,000 recent executions, "
                + (TestDatabase.isPostgres() ? "PostgreSQL" : "H2") + ")");

        assertThat(report.ran(), is(true));
        RowCounts oldAfter = RowCounts.of(OLD);
        assertThat(oldAfter.get("executions"), is(0L));
        assertThat(oldAfter.get("events"), is(0L));
        assertThat(oldAfter.get("agent requests"), is(0L));
        assertThat(oldAfter.get("idempotency keys"), is(0L));
        assertThat(report.executions(), is(oldExecutions));
        assertThat(report.events(), is(oldEvents));
        assertThat(report.agentRequests(), is(oldRequests));
        // the old executions' 2,000 keys, the recent ones' 100 expired keys, and any other test's expired keys
        assertThat(report.idempotencyKeys(), greaterThanOrEqualTo(2_100L));
        assertThat(report.batches(), everyItem(lessThanOrEqualTo(1_000)));
        assertThat(report.batches().stream().mapToLong(Integer::longValue).sum(), is(report.rows()));

        RowCounts recentAfter = RowCounts.of(RECENT);
        assertThat(recentAfter.get("executions"), is(1_000L));
        assertThat(recentAfter.get("events"), is(recentBefore.get("events")));
        assertThat(recentAfter.get("agent requests"), is(recentBefore.get("agent requests")));
        assertThat("only the recent executions' expired keys went",
                recentAfter.get("idempotency keys"), is(recentBefore.get("idempotency keys") - 100));
        RowCounts unfinishedAfter = RowCounts.of(UNFINISHED);
        for (String kept : KEPT) {
            assertThat("unfinished executions stay however old: " + kept, unfinishedAfter.get(kept),
                    is(unfinishedBefore.get(kept)));
        }
        assertThat("their expired keys go", unfinishedAfter.get("idempotency keys"),
                is(unfinishedBefore.get("idempotency keys") - 10));
    }

    @Test
    void aSweepSkipsWhileAnotherInstanceHoldsTheLease() throws SQLException {
        String owner = "retention-leased-" + UUID.randomUUID();
        insert(owner, 50, Instant.now().minus(40, ChronoUnit.DAYS), TERMINAL, true);
        RetentionStore store = new RetentionStore(dataSource);
        Instant now = Instant.now();
        assertThat(store.acquire("other-instance", now, now.plusSeconds(60)), is(true));
        try {
            RetentionReport skipped = retention.sweep();
            assertThat(skipped.ran(), is(false));
            assertThat(RowCounts.of(owner).get("executions"), is(50L));
        } finally {
            store.release("other-instance", Instant.now());
        }
        RetentionReport ran = retention.sweep();
        assertThat(ran.ran(), is(true));
        assertThat(RowCounts.of(owner).get("executions"), is(0L));
    }

    @Test
    void aSweeperThatLostItsLeaseDeletesNothingMore() throws SQLException {
        String owner = "retention-lost-" + UUID.randomUUID();
        insert(owner, 20, Instant.now().minus(40, ChronoUnit.DAYS), TERMINAL, true);
        RetentionStore store = new RetentionStore(dataSource);
        Instant now = Instant.now();
        // "slow" held the lease, stalled past it, and "fast" took over
        assertThat(store.acquire("slow", now.minusSeconds(120), now.minusSeconds(60)), is(true));
        assertThat(store.acquire("fast", now, now.plusSeconds(60)), is(true));
        try {
            int deleted = store.deleteBatch(RetentionStore.Delete.EVENTS, "slow", now, 1000, now, now.plusSeconds(60));
            assertThat(deleted, is(-1));
            assertThat(RowCounts.of(owner).get("events"), is(60L));
        } finally {
            store.release("fast", Instant.now());
        }
    }

    @Test
    void theStatusAloneKeepsAnExecutionThatIsNotFinishedWhateverItsFinishTimeSays() throws SQLException {
        // rows whose finished_at is 60 days old but whose status says they are still going: only the
        // status filter stands between them and the sweep
        String owner = "retention-status-" + UUID.randomUUID();
        insert(owner, 30, Instant.now().minus(60, ChronoUnit.DAYS), NOT_FINISHED, true);
        RowCounts before = RowCounts.of(owner);
        assertThat(before.get("executions"), is(30L));
        assertThat(retention.sweep().ran(), is(true));
        RowCounts after = RowCounts.of(owner);
        for (String kept : KEPT) {
            assertThat("PENDING, RUNNING and WAITING_AGENT stay: " + kept, after.get(kept), is(before.get(kept)));
        }
    }

    private static long count(String sql, Instant cutoff) throws SQLException {
        try (Connection c = TestDatabase.shared().connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Inserts {@code count} executions of {@code owner}, their statuses taken in turn from
     * {@code statuses}, created at {@code at} and, when {@code finishedAt}, finished then too; with
     * 3 events each, some agent requests and keys.
     */
    private static void insert(String owner, int count, Instant at, String[] statuses, boolean finishedAt)
            throws SQLException {
        try (Connection c = TestDatabase.shared().connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ex = c.prepareStatement("""
                    INSERT INTO flow_execution (id, flow, flow_version, owner, status, state, progress, last_event_seq,
                        version, created_at, updated_at, finished_at)
                    VALUES (?, 'campaign-launch', 1, ?, ?, '{}', '{"queue":[],"fired":[],"activated":[],"waiting":[],"attempt":1}',
                        3, 5, ?, ?, ?)""");
                 PreparedStatement ev = c.prepareStatement("""
                    INSERT INTO execution_event (id, execution_id, seq, event_type, created_at)
                    VALUES (?, ?, ?, 'STATUS_CHANGED', ?)""");
                 PreparedStatement rq = c.prepareStatement("""
                    INSERT INTO agent_request (id, execution_id, agent_role, step, question, deadline, status, created_at,
                        version)
                    VALUES (?, ?, 'ceo', 'askCeo', 'Approve?', ?, 'ANSWERED', ?, 1)""");
                 PreparedStatement key = c.prepareStatement("""
                    INSERT INTO idempotency_key (owner, idem_key, request_hash, execution_id, created_at, expires_at)
                    VALUES (?, ?, 'h', ?, ?, ?)""")) {
                OffsetDateTime ts = at.atOffset(ZoneOffset.UTC);
                for (int i = 0; i < count; i++) {
                    UUID id = UUID.randomUUID();
                    ex.setObject(1, id);
                    ex.setString(2, owner);
                    ex.setString(3, statuses[i % statuses.length]);
                    ex.setObject(4, ts);
                    ex.setObject(5, ts);
                    ex.setObject(6, finishedAt ? ts : null);
                    ex.addBatch();
                    for (int seq = 1; seq <= 3; seq++) {
                        ev.setLong(1, EVENT_IDS.getAndIncrement());
                        ev.setObject(2, id);
                        ev.setInt(3, seq);
                        ev.setObject(4, ts);
                        ev.addBatch();
                    }
                    if (i % 10 == 0) {
                        rq.setObject(1, UUID.randomUUID());
                        rq.setObject(2, id);
                        rq.setObject(3, ts);
                        rq.setObject(4, ts);
                        rq.addBatch();
                    }
                    if (i % 5 == 0) {
                        key.setString(1, owner);
                        key.setString(2, "key-" + i);
                        key.setObject(3, id);
                        key.setObject(4, ts);
                        // half of these keys expired long ago, half are still valid
                        key.setObject(5, i % 10 == 0 ? ts.plusHours(12) : OffsetDateTime.now(ZoneOffset.UTC).plusDays(1));
                        key.addBatch();
                    }
                    if (i % 1000 == 999) {
                        flush(ex, ev, rq, key);
                    }
                }
                flush(ex, ev, rq, key);
            }
            c.commit();
        }
    }

    private static void flush(PreparedStatement ex, PreparedStatement ev, PreparedStatement rq, PreparedStatement key)
            throws SQLException {
        ex.executeBatch();
        ev.executeBatch();
        rq.executeBatch();
        key.executeBatch();
    }
}
