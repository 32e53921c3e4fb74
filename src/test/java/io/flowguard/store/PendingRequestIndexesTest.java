package io.flowguard.store;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.flowguard.testing.Await;
import io.flowguard.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.flowguard.store.StoreFixture.NOW;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On PostgreSQL the indexes of pending agent requests are partial ({@code WHERE status =
 * 'PENDING'}, V6). A plan made once for every value of a bound parameter (the generic plan of a
 * prepared statement, which the driver switches to after five uses) cannot use them; the store
 * writes the status into its SQL, so the inbox and the deadline sweep read them under any plan.
 * Shown under {@code plan_cache_mode = force_generic_plan}, by PostgreSQL's own count of each
 * index's scans.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PendingRequestIndexesTest {

    private static final int READS = 12;
    /** The partial indexes of pending requests: the inbox may read either (by role, or in deadline order). */
    private static final List<String> PARTIAL = List.of("ix_agent_request_inbox", "ix_agent_request_deadline");

    private StoreFixture fx;

    @BeforeAll
    void generic() {
        assumeTrue(TestDatabase.isPostgres(), "the partial indexes are PostgreSQL's");
        fx = new StoreFixture();
        fx.fresh.database().asAdmin("ALTER DATABASE " + databaseName() + " SET plan_cache_mode = force_generic_plan");
        fx.fresh.dataSource().getHikariPoolMXBean().softEvictConnections();
        fx.insertWaiting("owner", NOW.plusSeconds(3600));
        fx.insertWaiting("owner", NOW.minusSeconds(1));
        answered(fx.insertWaiting("owner", NOW.plusSeconds(3600)), 10_000);
        fx.update("ANALYZE agent_request");
    }

    @AfterAll
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void theInboxReadsAPartialIndexUnderAGenericPlan() {
        long before = scans(PARTIAL);
        for (int i = 0; i < READS; i++) {
            assertThat(fx.store.transaction(tx -> tx.inbox(Set.of("ceo"), null, 10)), hasSize(2));
        }
        awaitScans(PARTIAL, before + READS);
    }

    @Test
    void theDeadlineSweepReadsItsPartialIndexUnderAGenericPlan() {
        long before = scans(List.of("ix_agent_request_deadline"));
        for (int i = 0; i < READS; i++) {
            assertThat(fx.store.transaction(tx -> tx.dueRequests(NOW, 10)), hasSize(1));
        }
        awaitScans(List.of("ix_agent_request_deadline"), before + READS);
    }

    /** Copies a request as {@code count} answered ones of the same role and execution, with plain SQL. */
    private void answered(AgentRequest like, int count) {
        fx.update("""
                INSERT INTO agent_request (id, execution_id, agent_role, step, question, payload, status, deadline,
                       answer, answered_by, answered_at, created_at, version)
                SELECT gen_random_uuid(), execution_id, agent_role, step, question, payload, 'ANSWERED', deadline,
                       '{}', 'someone', created_at, created_at, 1
                  FROM agent_request, generate_series(1, ?) WHERE id = ?""", count, like.id());
        fx.update("DELETE FROM agent_request WHERE id = ?", like.id());
    }

    private String databaseName() {
        List<List<Object>> rows = fx.rows("SELECT current_database()");
        return (String) rows.get(0).get(0);
    }

    private long scans(List<String> indexes) {
        return fx.count("SELECT sum(idx_scan) FROM pg_stat_user_indexes WHERE indexrelname = ANY (?)",
                (Object) indexes.toArray(String[]::new));
    }

    /** PostgreSQL publishes a backend's counts within a second or so of its transactions: waits for them. */
    private void awaitScans(List<String> index, long atLeast) {
        Await.until(index + " scanned by every read (" + atLeast + " scans)", Duration.ofSeconds(10),
                () -> scans(index) >= atLeast);
    }
}
