package io.flowguard.testflows;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Router;
import io.flowguard.flow.Start;
import io.flowguard.flow.StepContext;

/**
 * Four steps in a row, then a route: to the end, to an ask with a step that runs on meanwhile, or
 * through a call of the {@code media} service. Steps {@code two} and {@code meanwhile} also run
 * what the test set for the execution's key ({@link #during}), e.g. moving the engine's clock or
 * looking at the inbox, so a test can see which steps one commit holds.
 */
@Flow(name = "test-chain", input = TestInput.class, state = TestState.class, services = "media")
public class ChainFlow {

    private static final Map<String, Consumer<StepContext>> DURING = new ConcurrentHashMap<>();

    /**
     * @param key    an execution's {@link TestState#key}
     * @param step   {@code two} or {@code meanwhile}
     * @param action what that step does besides logging
     */
    public static void during(String key, String step, Consumer<StepContext> action) {
        DURING.put(key + "/" + step, action);
    }

    private static void hook(TestState s, StepContext context) {
        DURING.getOrDefault(s.key + "/" + context.step(), c -> { }).accept(context);
    }

    @Start
    void one(TestState s) {
        s.log.add("one");
    }

    @Listen("one")
    void two(TestState s, StepContext context) {
        s.log.add("two");
        hook(s, context);
    }

    @Listen("two")
    void three(TestState s) {
        s.log.add("three");
    }

    @Router(after = "three", labels = {"ending", "asking", "calling"})
    String four(TestState s) {
        s.log.add("four");
        return s.key.startsWith("ask") ? "asking" : s.key.startsWith("call") ? "calling" : "ending";
    }

    @Listen("ending")
    void done(TestState s) {
        s.log.add("done");
    }

    @Listen("asking")
    @AsksAgent("test_lead")
    AgentAsk ask(TestState s) {
        s.log.add("ask");
        return AgentAsk.to("test_lead", "Go on?", Map.of()).within(Duration.ofHours(1));
    }

    @Listen("asking")
    void meanwhile(TestState s, StepContext context) {
        s.log.add("meanwhile");
        hook(s, context);
    }

    @Listen("ask")
    void answered(TestState s, AgentAnswer answer) {
        s.log.add("answered by " + answer.answeredBy());
    }

    @Listen("calling")
    void call(TestState s, StepContext context) {
        context.call("media", "/audit", Map.of("key", s.key));
        s.log.add("call");
    }

    @Listen("call")
    void afterCall(TestState s) {
        s.log.add("after call");
    }
}
