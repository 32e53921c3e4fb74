package io.flowguard.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.flowguard.engine.graph.AgentRoles;
import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.MigratesFrom;
import io.flowguard.flow.Retry;
import io.flowguard.flow.Start;
import io.flowguard.flow.StepMapping;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.store.LeaseStore;
import jakarta.enterprise.inject.Vetoed;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Migrating unfinished executions of version 1 of a flow to version 2 (which renames the ask,
 * keeps its amount in cents and its memo twice), on H2 or PostgreSQL: executions started by the
 * old build, moved by the new build that registers both versions. An execution waiting at its
 * question, one between steps (answered, its next step queued) and one in a retry backoff each
 * move and then complete on version 2; an answer racing the migration is recorded once and the
 * execution ends once, whichever wins; the dry run lists exactly what the real run then moves,
 * and changes no row; what cannot move stays, with its reason.
 */
class MigrationTest {

    private static final Duration BACKOFF = Duration.ofMinutes(1);
    private static final String ADMIN = "ops-admin";
    /** Every execution here has this owner, so {@link OwnerRows} sees them all. */
    private static final String OWNER = "migrating-owner";
    private static final AgentRoles ROLES = AgentRoles.of("manager,lead");

    @RegisterExtension
    static final EngineHarness harness = EngineHarness.perClass();

    private static final ExecutorService threads = Executors.newFixedThreadPool(2);

    private final ExpenseFlowV1 v1 = new ExpenseFlowV1();
    private final ExpenseFlowV2 v2 = new ExpenseFlowV2();
    private Engine oldBuild;
    private Engine newBuild;
    private final List<String> audit = Collections.synchronizedList(new ArrayList<>());
    private final Handler auditHandler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            audit.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void builds() {
        EngineSettings settings = TunedSettings.noWorkers().maxStateBytes(4096).build();
        oldBuild = harness.instance("old-build").settings(settings).agentRoles(ROLES).flow(ExpenseFlowV1.class, v1)
                .build();
        newBuild = harness.instance("new-build").settings(settings).agentRoles(ROLES).flow(ExpenseFlowV1.class, v1)
                .flow(ExpenseFlowV2.class, v2).build();
        Logger.getLogger("flowguard.audit").addHandler(auditHandler);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("flowguard.audit").removeHandler(auditHandler);
    }

    @AfterAll
    static void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(30, TimeUnit.SECONDS);
    }

    @Test
    void anExecutionWaitingAtItsQuestionMovesWithTheQuestionAndCompletesOnVersionTwo() {
        UUID id = waitingForTheManager("train ticket");
        RequestSnapshot asked = onlyRequest(id);
        assertThat(asked.step(), is("askManager"));

        MigrationReport report = migrate(false);

        assertThat(report.moved(), contains(id));
        assertThat(report.cannot(), is(empty()));
        assertThat(report.remaining(), is(0L));
        ExecutionSnapshot moved = newBuild.get(id).orElseThrow();
        assertThat(moved.flowVersion(), is(2));
        assertThat(moved.status(), is(ExecutionStatus.WAITING_AGENT));
        assertThat(moved.state(), containsString("\"amountCents\":12000"));
        assertThat(moved.state(), containsString("\"currency\":\"EUR\""));
        RequestSnapshot movedAsk = onlyRequest(id);
        assertThat("the same question, now the new step's", movedAsk.id(), is(asked.id()));
        assertThat(movedAsk.step(), is("askLead"));
        assertThat(movedAsk.role(), is("manager"));
        List<EventSnapshot> migrated = HistoryOf.events(newBuild, id, "MIGRATED");
        assertThat(migrated, hasSize(1));
        assertThat(migrated.get(0).detail(), is("v1 -> v2"));
        assertThat(migrated.get(0).actor(), is(ADMIN));
        assertThat(auditLines(id), is(1L));

        newBuild.answer(asked.id(), Set.of("manager"), "mona", "{\"approved\":true}");
        newBuild.runDue();

        ExecutionSnapshot done = newBuild.get(id).orElseThrow();
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(done.flowVersion(), is(2));
        assertThat(done.state(), containsString("\"decidedBy\":\"mona\""));
        assertThat(done.state(), containsString("\"log\":[\"submitted\",\"migrated\",\"decided v2\",\"paid v2\"]"));
        assertThat(v1.pays.get(), is(0));
        assertThat(v2.pays.get(), is(1));
        assertThat(OwnerRows.of(harness.dataSource, OWNER).quotaSlots(), is(0));
    }

    @Test
    void anExecutionBetweenStepsMovesAndRunsItsQueuedStepOnVersionTwoWithItsAnswer() {
        UUID id = waitingForTheManager("hotel");
        oldBuild.answer(onlyRequest(id).id(), Set.of("manager"), "mona", "{\"approved\":true}");
        ExecutionSnapshot between = oldBuild.get(id).orElseThrow();
        assertThat("answered; nothing ran its next step yet", between.status(), is(ExecutionStatus.RUNNING));

        assertThat(migrate(false).moved(), contains(id));
        newBuild.runDue();

        ExecutionSnapshot done = newBuild.get(id).orElseThrow();
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(done.flowVersion(), is(2));
        assertThat("version 2's decide read the answer its renamed ask got", done.state(),
                containsString("\"decidedBy\":\"mona\""));
        assertThat(done.state(), containsString("\"log\":[\"submitted\",\"migrated\",\"decided v2\",\"paid v2\"]"));
        assertThat(EngineProbe.completions(newBuild, id), is(Map.of("submit", 1L, "askManager", 1L, "decide", 1L,
                "pay", 1L)));
    }

    @Test
    void anExecutionInARetryBackoffMovesAndRetriesOnVersionTwoWhenTheBackoffEnds() {
        UUID id = inItsBackoff("taxi");
        assertThat(v1.pays.get(), is(1));

        assertThat(migrate(false).moved(), contains(id));
        harness.clock.advance(BACKOFF.minusMillis(1));
        assertThat("the backoff still runs", newBuild.runDue(), is(0));
        harness.clock.advance(Duration.ofMillis(1));
        newBuild.runDue();

        ExecutionSnapshot done = newBuild.get(id).orElseThrow();
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(done.flowVersion(), is(2));
        assertThat(done.state(), containsString("\"log\":[\"submitted\",\"decided\",\"migrated\",\"paid v2\"]"));
        assertThat("version 1's step did not run again", v1.pays.get(), is(1));
        assertThat(v2.pays.get(), is(1));
        assertThat(HistoryOf.ofStep(newBuild, id, "pay"), is(List.of("STEP_STARTED", "RETRY_SCHEDULED", "STEP_STARTED", "STEP_COMPLETED")));
    }

    @Test
    void anAnswerRacingTheMigrationIsRecordedOnceAndTheExecutionEndsOnceWhicheverWins() throws Exception {
        for (int round = 0; round < 10; round++) {
            String item = "race " + round;
            UUID id = waitingForTheManager(item);
            UUID request = onlyRequest(id).id();

            List<String> outcomes = race(
                    () -> newBuild.answer(request, Set.of("manager"), "mona", "{\"approved\":true}"),
                    () -> migrate(false));

            assertThat("round " + round + ": " + outcomes, outcomes, is(List.of("ok", "ok")));
            newBuild.runDue();
            ExecutionSnapshot done = newBuild.get(id).orElseThrow();
            assertThat("round " + round + ": " + done, done.status(), is(ExecutionStatus.COMPLETED));
            assertThat(HistoryOf.events(newBuild, id, "ANSWERED"), hasSize(1));
            assertThat(HistoryOf.events(newBuild, id, "MIGRATED"), hasSize(1));
            assertThat(HistoryOf.events(newBuild, id, "STATUS").stream()
                    .filter(v -> v.detail().endsWith("-> COMPLETED")).count(), is(1L));
            assertThat("each step ran once", EngineProbe.completions(newBuild, id),
                    is(Map.of("submit", 1L, "askManager", 1L, "decide", 1L, "pay", 1L)));
            assertThat(done.flowVersion(), is(2));
            assertThat(done.state(), containsString("\"decidedBy\":\"mona\""));
            assertThat(OwnerRows.of(harness.dataSource, OWNER).quotaSlots(), is(0));
        }
    }

    @Test
    void theDryRunListsExactlyWhatTheRealRunMovesAndChangesNoRow() {
        UUID waiting = waitingForTheManager("lunch");
        UUID backoff = inItsBackoff("dinner");
        UUID invalid = waitingForTheManager("");
        UUID tooLarge = waitingForTheManager("book", "m".repeat(2500));
        UUID failing = waitingForTheManager("explode");
        UUID running = waitingForTheManager("parking");
        oldBuild.answer(onlyRequest(running).id(), Set.of("manager"), "mona", "{\"approved\":true}");
        new LeaseStore(harness.dataSource, harness.store.vendor(), n -> { })
                .claim("stalled-worker", harness.clock.instant(), harness.clock.instant().plus(EngineHarness.LEASE), 10);
        UUID between = waitingForTheManager("coffee");
        oldBuild.answer(onlyRequest(between).id(), Set.of("manager"), "mona", "{\"approved\":true}");
        OwnerRows before = OwnerRows.of(harness.dataSource, OWNER);

        MigrationReport dry = migrate(true);

        assertThat("the dry run changed no row", OwnerRows.of(harness.dataSource, OWNER), is(before));
        assertThat(dry.dryRun(), is(true));
        assertThat(Set.copyOf(dry.moved()), is(Set.of(waiting, backoff, between)));
        assertThat(reasons(dry), is(Map.of(invalid, "state_invalid", tooLarge, "state_too_large",
                failing, "migration_failed", running, "running")));
        assertThat(dry.remaining(), is(4L));
        assertThat(auditLinesOf("event=migrated"), is(0L));
        assertThat(detail(dry, invalid), containsString("item"));
        assertThat(detail(dry, tooLarge), containsString("over the limit of 4096"));
        assertThat(detail(dry, failing), containsString("IllegalArgumentException: no price for explode"));

        MigrationReport real = migrate(false);

        assertThat(real.dryRun(), is(false));
        assertThat(real.moved(), is(dry.moved()));
        assertThat(reasons(real), is(reasons(dry)));
        assertThat(real.remaining(), is(4L));
        for (UUID id : real.moved()) {
            assertThat(newBuild.get(id).orElseThrow().flowVersion(), is(2));
            assertThat(auditLines(id), is(1L));
        }
        for (UUID id : List.of(invalid, tooLarge, failing, running)) {
            assertThat(newBuild.get(id).orElseThrow().flowVersion(), is(1));
            assertThat(HistoryOf.events(newBuild, id, "MIGRATED"), is(empty()));
        }

        harness.clock.advance(EngineHarness.LEASE.plusSeconds(1));
        MigrationReport later = migrate(false);
        assertThat("the stalled worker's lease lapsed: it moves now", later.moved(), contains(running));
        finishAll(waiting, backoff, between, running);
        cancelAll(invalid, tooLarge, failing);
    }

    @Test
    void executionsWhoseStepsOrStateTheNewVersionCannotTakeStayWithTheirReason() {
        UUID waiting = waitingForTheManager("desk");
        UUID backoff = inItsBackoff("chair");
        UUID between = waitingForTheManager("lamp");
        oldBuild.answer(onlyRequest(between).id(), Set.of("manager"), "mona", "{\"approved\":true}");
        Engine strict = harness.instance("strict-build").agentRoles(ROLES).flow(ExpenseFlowV1.class, v1)
                .flow(ExpenseFlowV2Strict.class).build();
        OwnerRows before = OwnerRows.of(harness.dataSource, OWNER);

        MigrationReport report = strict.migrate(new MigrationBatch("mig-expense", 1, 2, 100, null, false), ADMIN);

        assertThat(report.moved(), is(empty()));
        assertThat(reasons(report), is(Map.of(waiting, "role_not_asked", backoff, "no_counterpart",
                between, "state_unreadable")));
        assertThat(detail(report, waiting), is("its open request to role 'manager' at 'askManager' would move to "
                + "'askLead', which asks only [lead]"));
        assertThat(detail(report, backoff), is("its queued step 'pay' has no counterpart in version 2"));
        assertThat(detail(report, between), containsString("unknown field 'memo'"));
        assertThat(OwnerRows.of(harness.dataSource, OWNER), is(before));
        finishAll(backoff, between);
        cancelAll(waiting);
    }

    @Test
    void batchesGoOnAfterTheLastExecutionTheyLookedAt() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(waitingForTheManager("pen " + i));
        }

        MigrationReport first = newBuild.migrate(new MigrationBatch("mig-expense", 1, 2, 2, null, false), ADMIN);
        assertThat(first.moved(), hasSize(2));
        assertThat(first.next(), is(first.moved().get(1)));
        assertThat(first.remaining(), is(1L));
        MigrationReport second = newBuild.migrate(new MigrationBatch("mig-expense", 1, 2, 2, first.next(), false), ADMIN);
        assertThat(second.moved(), hasSize(1));
        assertThat(second.next(), nullValue());
        assertThat(second.remaining(), is(0L));
        List<UUID> all = new ArrayList<>(first.moved());
        all.addAll(second.moved());
        assertThat(Set.copyOf(all), is(Set.copyOf(ids)));
        cancelAll(ids.toArray(UUID[]::new));
    }

    @Test
    void aBatchTheEngineRefusesWritesNothing() {
        UUID id = waitingForTheManager("stapler");
        Engine withV3 = harness.instance("v3-build").agentRoles(ROLES).flow(ExpenseFlowV1.class, v1)
                .flow(ExpenseFlowV2.class, v2).flow(ExpenseFlowV3.class).build();
        OwnerRows before = OwnerRows.of(harness.dataSource, OWNER);

        assertRefused(withV3, new MigrationBatch("no-such-flow", 1, 2, 100, null, false), EngineException.Problem.NOT_FOUND);
        assertRefused(withV3, new MigrationBatch("mig-expense", 1, 4, 100, null, false), EngineException.Problem.UNKNOWN_FLOW);
        assertRefused(withV3, new MigrationBatch("mig-expense", 1, 3, 100, null, false), EngineException.Problem.NO_MIGRATION);
        assertRefused(withV3, new MigrationBatch("mig-expense", 2, 2, 100, null, false), EngineException.Problem.INVALID_INPUT);
        assertRefused(withV3, new MigrationBatch("mig-expense", 0, 2, 100, null, false), EngineException.Problem.INVALID_INPUT);
        assertRefused(withV3, new MigrationBatch("mig-expense", 1, 2, 0, null, false), EngineException.Problem.INVALID_INPUT);
        assertRefused(withV3, new MigrationBatch("mig-expense", 1, 2, MigrationBatch.MAX_LIMIT + 1, null, false),
                EngineException.Problem.INVALID_INPUT);
        assertThat(OwnerRows.of(harness.dataSource, OWNER), is(before));

        MigrationReport atTheCap = withV3.migrate(new MigrationBatch("mig-expense", 1, 2, MigrationBatch.MAX_LIMIT, null,
                true), ADMIN);
        assertThat(atTheCap.moved(), contains(id));
        assertThat(OwnerRows.of(harness.dataSource, OWNER), is(before));
        cancelAll(id);
    }

    private static void assertRefused(Engine engine, MigrationBatch batch, EngineException.Problem problem) {
        EngineException refused = assertThrows(EngineException.class, () -> engine.migrate(batch, ADMIN));
        assertThat(refused.getMessage(), refused.problem(), is(problem));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private MigrationReport migrate(boolean dryRun) {
        return newBuild.migrate(new MigrationBatch("mig-expense", 1, 2, 100, null, dryRun), ADMIN);
    }


    private UUID waitingForTheManager(String item) {
        return waitingForTheManager(item, "");
    }

    /** Started by the old build and run to its question. */
    private UUID waitingForTheManager(String item, String memo) {
        String input = "{\"item\":\"" + item + "\",\"amount\":120,\"memo\":\"" + memo + "\"}";
        UUID id = oldBuild.start("mig-expense", input, OWNER, null).execution().id();
        oldBuild.runDue();
        assertThat(oldBuild.get(id).orElseThrow().status(), is(ExecutionStatus.WAITING_AGENT));
        return id;
    }

    /** Answered on the old build, its payment failed once: the retry waits {@link #BACKOFF}. */
    private UUID inItsBackoff(String item) {
        UUID id = waitingForTheManager(item);
        v1.payFailures.set(1);
        oldBuild.answer(onlyRequest(id).id(), Set.of("manager"), "mona", "{\"approved\":true}");
        oldBuild.runDue();
        ExecutionSnapshot waiting = oldBuild.get(id).orElseThrow();
        assertThat(waiting.status(), is(ExecutionStatus.RUNNING));
        assertThat(waiting.nextRunAt(), is(harness.clock.instant().plus(BACKOFF)));
        return id;
    }

    private RequestSnapshot onlyRequest(UUID id) {
        List<RequestSnapshot> pending = newBuild.inbox(Set.of("manager", "lead"), id, 10);
        assertThat(pending, hasSize(1));
        return pending.get(0);
    }

    /** Answers what still waits and lets every backoff and lease pass, until they all completed. */
    private void finishAll(UUID... ids) {
        for (UUID id : ids) {
            newBuild.inbox(Set.of("manager", "lead"), id, 10)
                    .forEach(r -> newBuild.answer(r.id(), Set.of("manager", "lead"), "mona", "{\"approved\":true}"));
        }
        harness.clock.advance(BACKOFF.plus(EngineHarness.LEASE));
        newBuild.runDue();
        for (UUID id : ids) {
            assertThat(newBuild.get(id).orElseThrow().toString(), newBuild.get(id).orElseThrow().status(),
                    is(ExecutionStatus.COMPLETED));
        }
    }

    private void cancelAll(UUID... ids) {
        for (UUID id : ids) {
            newBuild.cancel(id, ADMIN, null, "test over");
        }
    }

    private static Map<UUID, String> reasons(MigrationReport report) {
        Map<UUID, String> reasons = new java.util.HashMap<>();
        report.cannot().forEach(u -> reasons.put(u.id(), u.reason()));
        return reasons;
    }

    private static String detail(MigrationReport report, UUID id) {
        return report.cannot().stream().filter(u -> u.id().equals(id)).findFirst().orElseThrow().detail();
    }

    private long auditLines(UUID id) {
        return auditLinesOf("event=migrated execution=" + id + " from_version=1 to_version=2");
    }

    private long auditLinesOf(String start) {
        synchronized (audit) {
            return audit.stream().filter(l -> l.startsWith(start)).count();
        }
    }

    /** Runs the calls together behind a barrier; per call "ok" or its problem (an unexpected exception fails the test). */
    @SafeVarargs
    private static List<String> race(Callable<?>... calls) throws Exception {
        CyclicBarrier start = new CyclicBarrier(calls.length);
        List<Future<String>> futures = new ArrayList<>();
        for (Callable<?> call : calls) {
            futures.add(threads.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                try {
                    call.call();
                    return "ok";
                } catch (EngineException e) {
                    return e.problem().name() + ": " + e.getMessage();
                }
            }));
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<String> future : futures) {
            outcomes.add(future.get(60, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    // ---- the flow, version 1 and version 2 ----------------------------------------------------------
    // @Vetoed: only this test registers them (the service the @HelidonTest classes boot discovers @Flow classes).

    /**
     * What a caller gives.
     *
     * @param item   what was bought
     * @param amount its cost, in euros
     * @param memo   a note
     */
    public record ExpenseInput(@NotNull String item, @PositiveOrZero long amount, String memo) {
    }

    /** Version 1's state. */
    public static class ExpenseV1 {
        /** What was bought (version 1 allows it blank). */
        public String item;
        /** In euros. */
        public long amount;
        /** A note. */
        public String memo;
        /** What ran. */
        public List<String> log = new ArrayList<>();
        /** Who decided. */
        public String decidedBy;

        /** For reading it back. */
        public ExpenseV1() {
        }

        /** @param in the caller's input */
        public ExpenseV1(ExpenseInput in) {
            item = in.item();
            amount = in.amount();
            memo = in.memo() == null ? "" : in.memo();
        }
    }

    /**
     * Version 1's state as version 2 keeps it to read old executions with: version 1's class may be
     * gone by the time they migrate.
     */
    public record OldExpense(String item, long amount, String memo, List<String> log, String decidedBy) {
    }

    /** Version 1's state without the memo: stored states do not read as it. */
    public record OldExpenseWithoutMemo(String item, long amount, List<String> log, String decidedBy) {
    }

    /** Version 2's state: cents and a currency, the memo kept twice. */
    public static class ExpenseV2 {
        /** What was bought, not blank any more. */
        @NotBlank
        public String item;
        /** In cents. */
        @PositiveOrZero
        public long amountCents;
        /** ISO currency. */
        @NotBlank
        public String currency;
        /** A note. */
        public String memo;
        /** The notes so far. */
        public List<String> memos = new ArrayList<>();
        /** What ran. */
        public List<String> log = new ArrayList<>();
        /** Who decided. */
        public String decidedBy;

        /** For reading it back. */
        public ExpenseV2() {
        }

        /** @param in the caller's input */
        public ExpenseV2(ExpenseInput in) {
            item = in.item();
            amountCents = in.amount() * 100;
            currency = "EUR";
            memo = in.memo();
        }
    }

    /** Version 1: the manager decides, then the expense is paid (which may fail and be retried). */
    @Flow(name = "mig-expense", version = 1, input = ExpenseInput.class, state = ExpenseV1.class)
    @Vetoed
    public static class ExpenseFlowV1 {
        final AtomicInteger payFailures = new AtomicInteger();
        final AtomicInteger pays = new AtomicInteger();

        @Start
        void submit(ExpenseV1 e) {
            e.log.add("submitted");
        }

        @Listen("submit")
        @AsksAgent("manager")
        AgentAsk askManager(ExpenseV1 e) {
            return AgentAsk.to("manager", "Approve " + e.item + "?", e.amount).within(Duration.ofHours(1));
        }

        @Listen("askManager")
        void decide(ExpenseV1 e, AgentAnswer answer) {
            e.decidedBy = answer.answeredBy();
            e.log.add("decided");
        }

        @Listen("decide")
        @Retry(maxAttempts = 3, initialDelayMillis = 60_000)
        void pay(ExpenseV1 e) {
            pays.incrementAndGet();
            if (payFailures.getAndDecrement() > 0) {
                throw new IllegalStateException("the bank is closed");
            }
            e.log.add("paid v1");
        }
    }

    /** Version 2: the ask is now the lead's (managers' open questions keep their role), amounts in cents. */
    @Flow(name = "mig-expense", version = 2, input = ExpenseInput.class, state = ExpenseV2.class)
    @Vetoed
    public static class ExpenseFlowV2 {
        final AtomicInteger pays = new AtomicInteger();

        @MigratesFrom(version = 1, steps = @StepMapping(from = "askManager", to = "askLead"))
        ExpenseV2 fromV1(OldExpense old) {
            if (old.item().equals("explode")) {
                throw new IllegalArgumentException("no price for " + old.item());
            }
            ExpenseV2 e = new ExpenseV2();
            e.item = old.item();
            e.amountCents = old.amount() * 100;
            e.currency = "EUR";
            e.memo = old.memo();
            e.memos = List.of(old.memo());
            e.log = new ArrayList<>(old.log());
            e.log.add("migrated");
            e.decidedBy = old.decidedBy();
            return e;
        }

        @Start
        void submit(ExpenseV2 e) {
            e.log.add("submitted");
        }

        @Listen("submit")
        @AsksAgent({"lead", "manager"})
        AgentAsk askLead(ExpenseV2 e) {
            return AgentAsk.to("lead", "Approve " + e.item + "?", e.amountCents).within(Duration.ofHours(1));
        }

        @Listen("askLead")
        void decide(ExpenseV2 e, AgentAnswer answer) {
            e.decidedBy = answer.answeredBy();
            e.log.add("decided v2");
        }

        @Listen("decide")
        @Retry(maxAttempts = 3, initialDelayMillis = 60_000)
        void pay(ExpenseV2 e) {
            pays.incrementAndGet();
            e.log.add("paid v2");
        }
    }

    /** A version 2 that takes less: its ask is the lead's alone, it has no payment, its old state has no memo. */
    @Flow(name = "mig-expense", version = 2, input = ExpenseInput.class, state = ExpenseV2.class)
    @Vetoed
    public static class ExpenseFlowV2Strict {
        @MigratesFrom(version = 1, steps = @StepMapping(from = "askManager", to = "askLead"))
        ExpenseV2 fromV1(OldExpenseWithoutMemo old) {
            ExpenseV2 e = new ExpenseV2();
            e.item = old.item();
            e.currency = "EUR";
            return e;
        }

        @Start
        void submit(ExpenseV2 e) {
            e.log.add("submitted");
        }

        @Listen("submit")
        @AsksAgent("lead")
        AgentAsk askLead(ExpenseV2 e) {
            return AgentAsk.to("lead", "Approve " + e.item + "?", e.amountCents).within(Duration.ofHours(1));
        }

        @Listen("askLead")
        void decide(ExpenseV2 e, AgentAnswer answer) {
            e.decidedBy = answer.answeredBy();
        }
    }

    /** A version 3 that declares no migration. */
    @Flow(name = "mig-expense", version = 3, input = ExpenseInput.class, state = ExpenseV2.class)
    @Vetoed
    public static class ExpenseFlowV3 {
        @Start
        void submit(ExpenseV2 e) {
            e.log.add("submitted v3");
        }
    }
}
