package io.flowguard.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.flowguard.examples.FeatureApprovalFlow;
import io.flowguard.store.ExecutionStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The facade's listing, history and answer race, end to end through the engine on the run's
 * database, with feature-approval as the flow. No container: the test drives the engine on its
 * own thread ({@link Engine#runDue()}). The flow's own paths are
 * {@code examples.FeatureApprovalFlowTest}'s, on the test kit.
 */
class EngineFacadeTest {

    /** One database for the class, emptied before each test. */
    @RegisterExtension
    static final EngineHarness harness = EngineHarness.perClass();
    private final Engine engine = harness.instance("instance-a").flow(FeatureApprovalFlow.class).build();

    private UUID start(String owner, long cost, Integer complexity) {
        String json = "{\"featureName\":\"dark mode\",\"description\":\"a theme\",\"estimatedCost\":" + cost
                + (complexity == null ? "" : ",\"complexity\":" + complexity) + "}";
        return engine.start("feature-approval", json, owner, null).execution().id();
    }

    /** Runs everything due, and asserts where the execution stands then. */
    private ExecutionSnapshot runTo(UUID id, ExecutionStatus status) {
        engine.runDue();
        ExecutionSnapshot now = engine.get(id).orElseThrow();
        assertThat(now.status(), is(status));
        return now;
    }

    private RequestSnapshot inboxItem(String role, UUID execution) {
        runTo(execution, ExecutionStatus.WAITING_AGENT);
        return engine.inbox(Set.of(role), null, 500).stream().filter(r -> r.executionId().equals(execution))
                .findFirst().orElseThrow();
    }

    @Test
    void listingFiltersByOwnerAndStatus() {
        String owner = "lister-" + UUID.randomUUID();
        UUID done = start(owner, 1, 1);
        UUID waiting = start(owner, 9_000_000, 1);
        runTo(done, ExecutionStatus.COMPLETED);
        runTo(waiting, ExecutionStatus.WAITING_AGENT);

        assertThat(engine.list(owner, ExecutionStatus.COMPLETED, 50, 0).stream().map(ExecutionSnapshot::id).toList(),
                is(List.of(done)));
        assertThat(engine.list(owner, ExecutionStatus.WAITING_AGENT, 50, 0).stream().map(ExecutionSnapshot::id).toList(),
                is(List.of(waiting)));
        assertThat(engine.list(owner, null, 50, 0).size(), is(2));
        assertThat(engine.list(owner, null, 1, 1).size(), is(1));
        assertThat(engine.list("someone-else-" + UUID.randomUUID(), null, 50, 0).size(), is(0));
    }

    @Test
    void ofConcurrentAnswersExactlyOneWinsAndTheOthersConflict() throws Exception {
        UUID id = start("frank", 9_000_000, 2);
        RequestSnapshot request = inboxItem("ceo", id);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String subject = "ceo-" + i;
            Callable<String> answer = () -> {
                go.await();
                try {
                    engine.answer(request.id(), Set.of("ceo"), subject, "{\"approved\":true}");
                    return "won";
                } catch (EngineException e) {
                    return e.problem().name();
                }
            };
            results.add(pool.submit(answer));
        }
        go.countDown();
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : results) {
            outcomes.add(f.get());
        }
        pool.shutdown();

        assertThat(outcomes.stream().filter("won"::equals).count(), is(1L));
        assertThat(outcomes.stream().filter("CONFLICT"::equals).count(), is(7L));
        runTo(id, ExecutionStatus.COMPLETED);
        assertThat(EngineProbe.completions(engine, id).get("recordDecision"), is(1L));
        assertThat(EngineProbe.types(engine, id).stream().filter("ANSWERED"::equals).count(), is(1L));
    }

    @Test
    void unknownRequestIsNotFound() {
        EngineException e = assertThrows(EngineException.class,
                () -> engine.answer(UUID.randomUUID(), Set.of("ceo"), "carol", "{\"approved\":true}"));
        assertThat(e.problem(), is(EngineException.Problem.NOT_FOUND));
    }

    @Test
    void anUnknownFlowNameCannotBeStarted() {
        EngineException e = assertThrows(EngineException.class,
                () -> engine.start("java.lang.Runtime", "{}", "mallory", null).execution());
        assertThat(e.problem(), is(EngineException.Problem.UNKNOWN_FLOW));
    }

    @Test
    void historyRecordsEveryTransitionInOrder() {
        UUID id = start("henry", 1, 1);
        runTo(id, ExecutionStatus.COMPLETED);

        List<String> types = EngineProbe.types(engine, id);

        assertThat(types.get(0), is("CREATED"));
        assertThat(types, hasItem("ROUTED"));
        assertThat(types.get(types.size() - 1), is("STATUS"));
        assertThat(engine.history(id, 0, 100).stream().map(v -> v.seq()).toList(),
                contains(java.util.stream.IntStream.rangeClosed(1, types.size()).boxed().toArray()));
    }

    /** JSON null is a value an approver may send: the resumed step sees it as absent, and the flow ends. */
    @Test
    void anAnswerWithANullFieldResumesTheFlow() {
        UUID id = start("nadia", 2_000_000, 5);
        runTo(id, ExecutionStatus.WAITING_AGENT);
        engine.answer(inboxItem("ceo", id).id(), Set.of("ceo"), "carol", "{\"approved\":true,\"comment\":null}");

        ExecutionSnapshot done = runTo(id, ExecutionStatus.COMPLETED);

        assertThat(done.state(), containsString("\"decision\":\"APPROVED\""));
    }
}
