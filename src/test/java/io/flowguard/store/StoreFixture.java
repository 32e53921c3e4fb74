package io.flowguard.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import io.flowguard.testing.FreshStore;

/**
 * What the store contract tests share: one fresh store per test class (H2, or PostgreSQL with
 * {@code -Dflowguard.test.db=postgresql}), rows inserted the way the engine inserts them, and plain
 * JDBC reads of what a write left behind. Time is never read from a clock: every call passes
 * {@link #NOW} or an offset of it, so boundaries are exact.
 */
final class StoreFixture implements AutoCloseable {

    /** The time every test stands at. */
    static final Instant NOW = Instant.parse("2026-06-01T08:00:00Z");
    /** A lease's length. */
    static final Duration LEASE = Duration.ofSeconds(30);
    /** How long a thread of a race may take before the test gives up on it (not a timing assertion). */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    final FreshStore fresh = new FreshStore();
    final Store store = fresh.store();
    /** Claims that took an expired lease, as {@link LeaseStore} reports them for the metric. */
    final AtomicInteger reclaims = new AtomicInteger();
    final LeaseStore leases = new LeaseStore(fresh.dataSource(), store.vendor(), reclaims::addAndGet);

    /**
     * Inserts an execution of {@code owner}, created a minute before {@link #NOW} and due then, with
     * its CREATED event, shaped first by {@code shape} (a status, a lease, a schedule, requests).
     *
     * @return the row as inserted
     */
    FlowExecution insert(String owner, Consumer<FlowExecution> shape) {
        return insertAll(1, owner, shape).get(0);
    }

    /** Inserts {@code count} such executions in one transaction. */
    List<FlowExecution> insertAll(int count, String owner, Consumer<FlowExecution> shape) {
        return store.transaction(tx -> {
            List<FlowExecution> rows = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Instant created = NOW.minusSeconds(60);
                FlowExecution row = new FlowExecution(UUID.randomUUID(), "contract", 1, owner, "{}", "{}", created);
                shape.accept(row);
                ExecutionWrite write = new ExecutionWrite(row);
                write.append(EventType.CREATED, null, owner, "contract v1", created);
                tx.insert(write);
                rows.add(row);
            }
            return rows;
        });
    }

    /** Inserts a WAITING_AGENT execution with a request for the role "ceo", pending until {@code deadline}. */
    AgentRequest insertWaiting(String owner, Instant deadline) {
        return insertAsking(owner, row -> {
            row.moveTo(ExecutionStatus.RUNNING, NOW.minusSeconds(60));
            row.moveTo(ExecutionStatus.WAITING_AGENT, NOW.minusSeconds(60));
            row.scheduleAt(null);
        }, deadline);
    }

    /** Inserts an execution shaped by {@code shape} with a request for the role "ceo", pending until {@code deadline}. */
    AgentRequest insertAsking(String owner, Consumer<FlowExecution> shape, Instant deadline) {
        Instant created = NOW.minusSeconds(60);
        FlowExecution row = new FlowExecution(UUID.randomUUID(), "contract", 1, owner, "{}", "{}", created);
        shape.accept(row);
        ExecutionWrite write = new ExecutionWrite(row);
        write.append(EventType.CREATED, null, owner, "contract v1", created);
        AgentRequest request = new AgentRequest(UUID.randomUUID(), row.id(), "ceo", "ask", "Approve?", null, deadline,
                created);
        write.ask(request);
        store.transaction(tx -> {
            tx.insert(write);
            return null;
        });
        return request;
    }

    /** Shapes a row into one RUNNING under {@code worker}'s lease until {@code expiresAt}. */
    static Consumer<FlowExecution> runningUnder(String worker, Instant expiresAt) {
        return row -> {
            row.moveTo(ExecutionStatus.RUNNING, NOW.minusSeconds(60));
            row.lease(worker, expiresAt);
        };
    }

    /** @return the execution as committed, a fresh copy */
    FlowExecution read(UUID id) {
        return store.transaction(tx -> tx.execution(id));
    }

    /** @return the request as committed, a fresh copy */
    AgentRequest request(UUID id) {
        return store.transaction(tx -> tx.request(id));
    }

    /** Runs {@code work} in one transaction of the store. */
    <T> T tx(Function<StoreTransaction, T> work) {
        return store.transaction(work);
    }

    /** @return the owner's active count, or null when it has no quota row */
    Integer quota(String owner) {
        List<List<Object>> rows = rows("SELECT active_count FROM owner_quota WHERE owner = ?", owner);
        return rows.isEmpty() ? null : ((Number) rows.get(0).get(0)).intValue();
    }

    /** Takes {@code slots} of the owner's quota (creating its row first), one transaction each. */
    void takeSlots(String owner, int slots) {
        store.createQuota(owner, NOW);
        for (int i = 0; i < slots; i++) {
            tx(t -> t.takeQuota(owner, Integer.MAX_VALUE, NOW));
        }
    }

    /**
     * Everything a write for one execution could touch: all columns of its row, its events, its
     * agent requests and its owner's quota counter, read with plain JDBC.
     */
    record Footprint(Map<String, Object> row, List<List<Object>> events, List<List<Object>> requests, Integer quota) {

        /** @return the same without the lease columns, which claims, heartbeats and releases change */
        Footprint withoutLease() {
            Map<String, Object> rest = new LinkedHashMap<>(row);
            rest.remove("lease_owner");
            rest.remove("lease_expires_at");
            return new Footprint(rest, events, requests, quota);
        }
    }

    Footprint footprint(UUID execution) {
        List<Map<String, Object>> row = columns("SELECT * FROM flow_execution WHERE id = ?", execution);
        String owner = row.isEmpty() ? null : (String) row.get(0).get("owner");
        return new Footprint(row.isEmpty() ? null : row.get(0),
                rows("SELECT seq, event_type, step, actor, detail FROM execution_event WHERE execution_id = ? "
                        + "ORDER BY seq", execution),
                rows("SELECT id, status, version, answer, answered_by FROM agent_request WHERE execution_id = ? "
                        + "ORDER BY created_at, id", execution),
                owner == null ? null : quota(owner));
    }

    /** @return how many rows {@code sql} (a {@code SELECT COUNT(*)}) counts */
    long count(String sql, Object... params) {
        return ((Number) rows(sql, params).get(0).get(0)).longValue();
    }

    /** Runs an update with plain JDBC, auto-committed: for rows the engine could never write. */
    int update(String sql, Object... params) {
        try (Connection c = fresh.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the rows of a query, each as its column values in order */
    List<List<Object>> rows(String sql, Object... params) {
        return columns(sql, params).stream().map(m -> (List<Object>) new ArrayList<>(m.values())).toList();
    }

    private List<Map<String, Object>> columns(String sql, Object... params) {
        try (Connection c = fresh.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i] instanceof Instant t ? t.atOffset(ZoneOffset.UTC) : params[i]);
        }
    }

    /**
     * Runs the tasks on as many threads, released together by a barrier, and waits for them all.
     *
     * @return each task's result (or the exception it threw), in the tasks' order
     */
    static List<Object> race(List<Callable<?>> tasks) throws InterruptedException {
        CyclicBarrier barrier = new CyclicBarrier(tasks.size());
        ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Object>> running = new ArrayList<>();
            for (Callable<?> task : tasks) {
                running.add(threads.submit(() -> {
                    barrier.await();
                    return task.call();
                }));
            }
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : running) {
                try {
                    results.add(f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
                } catch (ExecutionException e) {
                    results.add(e.getCause());
                } catch (TimeoutException e) {
                    throw new AssertionError("a racing thread did not finish within " + PATIENCE);
                }
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    @Override
    public void close() {
        fresh.close();
    }
}
