package io.flowguard.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the indexes of {@code flow_execution} cost its updates (see the migrations' V5 and V6): an
 * update that changes no indexed column is HOT (heap-only, no index entry written), so no index
 * reads the lease columns, and claims, heartbeats and releases write nothing but the row; and the
 * claim's partial index holds only runnable rows, so parked executions cost a claim nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HotRowIndexesTest {

    private static final List<String> LEASE_COLUMNS = List.of("lease_owner", "lease_expires_at");

    private final StoreFixture fx = new StoreFixture();

    @BeforeEach
    void onlyThisTestsRows() {
        fx.update("DELETE FROM flow_execution");
    }

    @AfterAll
    void close() {
        fx.close();
    }

    @Test
    void noIndexOfAnExecutionReadsItsLease() throws SQLException {
        List<String> indexed = indexedText("flow_execution");

        assertThat(indexed.isEmpty(), is(false));
        for (String column : LEASE_COLUMNS) {
            assertThat(column + " in " + indexed, indexed.stream().filter(text -> text.contains(column)).toList(),
                    is(empty()));
        }
    }

    @Test
    void onPostgresqlAClaimAHeartbeatAndAReleaseAreHeapOnlyUpdates() throws SQLException {
        assumeTrue(TestDatabase.isPostgres(), "HOT updates are PostgreSQL's");
        assumeTrue(pageInspectInstalled(), "needs the pageinspect extension (PostgreSQL contrib)");
        UUID id = fx.insert("hot", row -> row.scheduleAt(NOW)).id();

        assertThat(fx.leases.claim("worker", NOW, NOW.plus(LEASE), 10), contains(id));
        assertThat("the claim", heapOnly(id), is(true));
        assertThat(fx.leases.heartbeat(id, "worker", NOW.plusSeconds(1), NOW.plus(LEASE).plusSeconds(1)), is(true));
        assertThat("the heartbeat", heapOnly(id), is(true));
        fx.leases.release(id, "worker");
        assertThat("the release", heapOnly(id), is(true));
    }

    @Test
    void onPostgresqlAClaimReadsNoMoreAmongTenThousandParkedExecutionsThanAmongNone() throws SQLException {
        assumeTrue(TestDatabase.isPostgres(), "the claim's partial index is PostgreSQL's");
        UUID due = fx.insert("due", runningUnder("dead", NOW.minusSeconds(1))).id();
        long alone = claimBuffers();
        fx.update("DELETE FROM flow_execution WHERE id = ?", due);

        park(10_000);
        fx.insert("due", runningUnder("dead", NOW.minusSeconds(1))); // after them: on a page with room, as before
        long amongParked = claimBuffers();

        // one more level in the primary key's tree is all the parked rows may add
        assertThat(amongParked, lessThanOrEqualTo(alone + 2));
    }

    /** @return every index definition of the table, column names and (PostgreSQL) the WHERE of a partial one */
    private List<String> indexedText(String table) throws SQLException {
        List<String> indexed = new ArrayList<>();
        try (Connection c = fx.fresh.dataSource().getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
            try (ResultSet rs = meta.getIndexInfo(null, c.getSchema(), name, false, false)) {
                while (rs.next()) {
                    if (rs.getString("INDEX_NAME") != null) {
                        indexed.add((rs.getString("INDEX_NAME") + " " + rs.getString("COLUMN_NAME") + " "
                                + rs.getString("FILTER_CONDITION")).toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return indexed;
    }

    private boolean pageInspectInstalled() throws SQLException {
        try (Connection c = fx.fresh.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_available_extensions WHERE name = 'pageinspect'")) {
                if (!rs.next()) {
                    return false;
                }
            }
            s.execute("CREATE EXTENSION IF NOT EXISTS pageinspect");
            return true;
        }
    }

    /** @return whether the row's current version is a heap-only tuple: the update that made it wrote no index */
    private boolean heapOnly(UUID id) throws SQLException {
        try (Connection c = fx.fresh.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT (i.t_infomask2 & 32768) <> 0
                       FROM flow_execution f,
                            heap_page_items(get_raw_page('flow_execution', (f.ctid::text::point)[0]::int)) i
                      WHERE f.id = ? AND i.lp = (f.ctid::text::point)[1]::int""")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Parks executions in WAITING_AGENT with plain SQL, then analyzes, as autovacuum would. */
    private void park(int count) {
        fx.update("""
                INSERT INTO flow_execution (id, flow, flow_version, owner, status, state, progress, last_event_seq,
                       version, created_at, updated_at)
                SELECT gen_random_uuid(), 'contract', 1, 'parked', 'WAITING_AGENT', '{}', '{}', 1, 2, ?, ?
                  FROM generate_series(1, ?)""", NOW, NOW, count);
        fx.update("ANALYZE flow_execution");
    }

    /** @return the buffers the claim touches, run under EXPLAIN ANALYZE in a transaction rolled back */
    private long claimBuffers() throws SQLException {
        try (Connection c = fx.fresh.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "
                    + LeaseStore.CLAIM_POSTGRES)) {
                ps.setObject(1, NOW.atOffset(ZoneOffset.UTC));
                ps.setObject(2, NOW.atOffset(ZoneOffset.UTC));
                ps.setInt(3, 8);
                ps.setString(4, "claimer");
                ps.setObject(5, NOW.plus(LEASE).atOffset(ZoneOffset.UTC));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    JsonNode plan = new ObjectMapper().readTree(rs.getString(1)).get(0).get("Plan");
                    assertThat("the due row was claimed", plan.get("Actual Rows").asLong(), is(1L));
                    return plan.get("Shared Hit Blocks").asLong() + plan.get("Shared Read Blocks").asLong();
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            } finally {
                c.rollback();
            }
        }
    }
}
