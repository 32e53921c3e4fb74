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
 * Every path of feature-approval, end to end through the engine, on the run's database. No
 * container: the test drives the engine on its own thread ({@link Engine#runDue()}).
 */
class FeatureApprovalFlowTest {

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
    void lowCostAndComplexityIsApprovedAutomatically() {
        UUID id = start("alice", 500_000, 7);

        ExecutionSnapshot done = runTo(id, ExecutionStatus.COMPLETED);

        assertThat(done.state(), containsString("\"decision\":\"APPROVED\""));
        assertThat(done.state(), containsString("\"decidedBy\":\"auto\""));
        assertThat(EngineProbe.completions(engine, id).keySet(), is(Set.of("analyze", "route", "autoApprove")));
        assertThat(engine.history(id, 0, 100).stream().filter(v -> v.type().equals("ROUTED")).findFirst()
                .orElseThrow().detail(), is("auto_approve"));
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
    void missingComplexityDefaultsToFive() {
        UUID id = start("alice", 10, null);

        ExecutionSnapshot done = runTo(id, ExecutionStatus.COMPLETED);

        assertThat(done.state(), containsString("\"complexity\":5"));
        assertThat(done.state(), containsString("\"decision\":\"APPROVED\""));
    }

    @Test
    void costOverAMillionAsksTheCeoAndTheAnswerApproves() {
        UUID id = start("bob", 2_000_000, 3);
        RequestSnapshot request = inboxItem("ceo", id);
        assertThat(request.role(), is("ceo"));
        assertThat(request.payload(), containsString("\"estimatedCost\":2000000"));

        engine.answer(request.id(), Set.of("ceo"), "carol-the-ceo", "{\"approved\":true,\"comment\":\"go\"}");

        ExecutionSnapshot done = runTo(id, ExecutionStatus.COMPLETED);
        assertThat(done.state(), containsString("\"decision\":\"APPROVED\""));
        assertThat(done.state(), containsString("\"decidedBy\":\"carol-the-ceo\""));
        assertThat(done.state(), containsString("\"comment\":\"go\""));
        assertThat(engine.history(id, 0, 100).stream().filter(v -> v.type().equals("ANSWERED")).findFirst()
                .orElseThrow().actor(), is("carol-the-ceo"));
    }

    @Test
    void ceoCanReject() {
        UUID id = start("bob", 3_000_000, 3);
        RequestSnapshot request = inboxItem("ceo", id);

        engine.answer(request.id(), Set.of("ceo"), "carol", "{\"approved\":false,\"comment\":\"too costly\"}");

        ExecutionSnapshot done = runTo(id, ExecutionStatus.COMPLETED);
        assertThat(done.state(), containsString("\"decision\":\"REJECTED\""));
    }

    @Test
    void highComplexityAsksTheCtoAndOnlyTheCtoMayAnswer() {
        UUID id = start("dave", 100, 9);
        RequestSnapshot request = inboxItem("cto", id);
        long versionBefore = engine.get(id).orElseThrow().version();

        EngineException wrongRole = assertThrows(EngineException.class,
                () -> engine.answer(request.id(), Set.of("ceo"), "carol", "{\"approved\":true}"));

        assertThat(wrongRole.problem(), is(EngineException.Problem.FORBIDDEN));
        assertThat(engine.get(id).orElseThrow().version(), is(versionBefore));
        assertThat(engine.inbox(Set.of("cto"), null, 500).stream().anyMatch(r -> r.id().equals(request.id())), is(true));

        engine.answer(request.id(), Set.of("cto"), "erin-the-cto", "{\"approved\":true}");
        ExecutionSnapshot done = runTo(id, ExecutionStatus.COMPLETED);
        assertThat(done.state(), containsString("\"decidedBy\":\"erin-the-cto\""));
    }

    @Test
    void anAnswerOfTheWrongShapeIsRejectedAndChangesNothing() {
        UUID id = start("dave", 5_000_000, 1);
        RequestSnapshot request = inboxItem("ceo", id);
        long versionBefore = engine.get(id).orElseThrow().version();

        for (String bad : List.of("{\"comment\":\"no decision\"}", "{\"approved\":\"yes\"}", "[true]",
                "{\"approved\":true,\"extra\":1}", "{\"approved\":true", "")) {
            EngineException e = assertThrows(EngineException.class,
                    () -> engine.answer(request.id(), Set.of("ceo"), "carol", bad), bad);
            assertThat(bad, e.problem(), is(EngineException.Problem.INVALID_INPUT));
        }
        assertThat(engine.get(id).orElseThrow().version(), is(versionBefore));
        assertThat(engine.get(id).orElseThrow().status(), is(ExecutionStatus.WAITING_AGENT));
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
    void answeringTwiceIsAConflict() {
        UUID id = start("gina", 4_000_000, 2);
        RequestSnapshot request = inboxItem("ceo", id);
        engine.answer(request.id(), Set.of("ceo"), "carol", "{\"approved\":true}");

        EngineException again = assertThrows(EngineException.class,
                () -> engine.answer(request.id(), Set.of("ceo"), "carol", "{\"approved\":false}"));

        assertThat(again.problem(), is(EngineException.Problem.CONFLICT));
        ExecutionSnapshot done = runTo(id, ExecutionStatus.COMPLETED);
        assertThat(done.state(), containsString("APPROVED"));
    }

    @Test
    void unknownRequestIsNotFound() {
        EngineException e = assertThrows(EngineException.class,
                () -> engine.answer(UUID.randomUUID(), Set.of("ceo"), "carol", "{\"approved\":true}"));
        assertThat(e.problem(), is(EngineException.Problem.NOT_FOUND));
    }

    @Test
    void invalidInputIsRejectedBeforeAnythingIsWritten() {
        int before = engine.list("mallory", null, 500, 0).size();
        List<String> bad = List.of(
                "{\"featureName\":\"x\",\"estimatedCost\":1,\"owner\":\"root\"}",
                "{\"featureName\":\"x\",\"estimatedCost\":\"lots\"}",
                "{\"estimatedCost\":1}",
                "{\"featureName\":\"x\",\"estimatedCost\":1,\"complexity\":11}",
                "{\"featureName\":\"x\",\"estimatedCost\":-5}",
                "{\"featureName\":\"x\",\"estimatedCost\":99999999999999999999999999}",
                "{\"featureName\":\"x\",\"estimatedCost\":1.5}",
                "{\"featureName\":\"x\",\"estimatedCost\":1} trailing",
                "not json",
                "null",
                // what only the flow writes (issue 16, point 6)
                "{\"featureName\":\"x\",\"estimatedCost\":5000000,\"decision\":\"APPROVED\",\"decidedBy\":\"ceo\"}",
                "{\"featureName\":\"x\",\"estimatedCost\":1,\"summary\":\"s\"}",
                "{\"featureName\":\"x\",\"estimatedCost\":1,\"comment\":\"c\"}");
        for (String input : bad) {
            EngineException e = assertThrows(EngineException.class,
                    () -> engine.start("feature-approval", input, "mallory", null).execution(), input);
            assertThat(input, e.problem(), is(EngineException.Problem.INVALID_INPUT));
            assertThat(input, e.getMessage().contains("io.flowguard"), is(false));
        }
        assertThat(engine.list("mallory", null, 500, 0).size(), is(before));
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
}
