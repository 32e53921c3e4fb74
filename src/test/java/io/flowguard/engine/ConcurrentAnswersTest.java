package io.flowguard.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.flowguard.store.AgentRequest;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.testflows.TwoRolesAskFlow;
import io.flowguard.testflows.WaitFlow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * Answers racing each other, started together behind a barrier and repeated: on one request the
 * store's answer-once update lets exactly one through; on two requests of one execution both go
 * through, the one that lost the race to the row deciding again from the fresh row (the version
 * check of {@code commitIfUnchanged}), so neither answer is lost.
 */
class ConcurrentAnswersTest {

    private static final int ROUNDS = 20;
    private static final int RACERS = 4;
    private static final String OWNER = "racer";

    private final EngineHarness harness = new EngineHarness();
    private final Engine engine = harness.instance("answers")
            .flow(WaitFlow.class).flow(TwoRolesAskFlow.class).build();
    private final ExecutorService threads = Executors.newFixedThreadPool(RACERS);

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(30, TimeUnit.SECONDS);
        harness.close();
    }

    @Test
    void ofAnswersRacingForOneRequestExactlyOneIsRecorded() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            UUID id = waiting("test-wait");
            RequestSnapshot request = engine.inbox(Set.of("test_lead"), id, 10).get(0);
            List<Callable<ExecutionSnapshot>> answers = new ArrayList<>();
            for (int racer = 0; racer < RACERS; racer++) {
                String subject = "lead-" + racer;
                answers.add(() -> engine.answer(request.id(), Set.of("test_lead"), subject, "{\"go\":true}"));
            }

            List<String> outcomes = race(answers);

            assertThat("round " + round + ": " + outcomes, outcomes.stream().filter("ok"::equals).count(), is(1L));
            assertThat("round " + round + ": " + outcomes,
                    outcomes.stream().filter(o -> o.equals("CONFLICT")).count(), is((long) RACERS - 1));
            List<EventSnapshot> answered = HistoryOf.events(engine, id, "ANSWERED");
            assertThat(answered, hasSize(1));
            AgentRequest stored = harness.store.transaction(tx -> tx.request(request.id()));
            assertThat(stored.status(), is(AgentRequest.Status.ANSWERED));
            assertThat(stored.answeredBy(), is(answered.get(0).actor()));
            engine.runDue();
            ExecutionSnapshot done = engine.get(id).orElseThrow();
            assertThat(done.status(), is(ExecutionStatus.COMPLETED));
            assertThat(done.state(), containsString("answered by " + stored.answeredBy()));
        }
    }

    @Test
    void answersRacingForTwoRequestsOfOneExecutionBothTakeEffect() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            UUID id = waiting("test-two-roles-ask");
            RequestSnapshot ceo = engine.inbox(Set.of("ceo"), id, 10).get(0);
            RequestSnapshot cto = engine.inbox(Set.of("cto"), id, 10).get(0);

            List<String> outcomes = race(List.of(
                    () -> engine.answer(ceo.id(), Set.of("ceo"), "alice", "{\"approved\":true}"),
                    () -> engine.answer(cto.id(), Set.of("cto"), "bob", "{\"approved\":true}")));

            assertThat("round " + round, outcomes, is(List.of("ok", "ok")));
            assertThat(HistoryOf.events(engine, id, "ANSWERED").stream().map(EventSnapshot::actor).toList(),
                    containsInAnyOrder("alice", "bob"));
            ExecutionSnapshot resumed = engine.get(id).orElseThrow();
            assertThat("both waits ended", resumed.status(), is(ExecutionStatus.RUNNING));
            engine.runDue();
            ExecutionSnapshot done = engine.get(id).orElseThrow();
            assertThat("round " + round + ": " + done.state(), done.status(), is(ExecutionStatus.COMPLETED));
            assertThat(done.state(), containsString("\"ceo: alice\""));
            assertThat(done.state(), containsString("\"cto: bob\""));
        }
    }

    /** @return a new execution of the flow, run until it waits for its agents */
    private UUID waiting(String flow) {
        UUID id = engine.start(flow, "{\"key\":\"race\"}", OWNER, null).execution().id();
        engine.runDue();
        assertThat(engine.get(id).orElseThrow().status(), is(ExecutionStatus.WAITING_AGENT));
        return id;
    }

    /**
     * Starts the calls together behind a barrier.
     *
     * @return per call, in order: "ok", or the engine's problem
     */
    private List<String> race(List<Callable<ExecutionSnapshot>> calls) throws Exception {
        CyclicBarrier start = new CyclicBarrier(calls.size());
        List<Future<String>> futures = new ArrayList<>();
        for (Callable<ExecutionSnapshot> call : calls) {
            futures.add(threads.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                try {
                    call.call();
                    return "ok";
                } catch (EngineException e) {
                    return e.problem().name();
                }
            }));
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<String> future : futures) {
            outcomes.add(future.get(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS));
        }
        return outcomes;
    }
}
