package io.flowguard.engine.graph;

import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Join;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Router;
import io.flowguard.flow.Start;
import io.flowguard.flow.StepContext;
import jakarta.enterprise.inject.Vetoed;

/**
 * Flow classes with one defect each. {@link Vetoed} keeps them out of CDI discovery (the service
 * would refuse to start with them, which is the point); the tests build them directly.
 */
final class InvalidFlows {

    private InvalidFlows() {
    }

    /** A minimal valid state, which is also its flows' input. */
    record S(int n) {
    }

    @Vetoed
    @Flow(name = "no-start", input = S.class, state = S.class)
    static class NoStart {
        @Listen("a") void b(S s) { }
    }

    @Vetoed
    @Flow(name = "duplicate", input = S.class, state = S.class)
    static class Duplicate {
        @Start void a(S s) { }
        @Listen("a") void b(S s) { }
        @Listen("a") void b(S s, StepContext c) { }
    }

    @Vetoed
    @Flow(name = "unknown-trigger", input = S.class, state = S.class)
    static class UnknownTrigger {
        @Start void a(S s) { }
        @Listen("nowhere") void b(S s) { }
    }

    @Vetoed
    @Flow(name = "unreachable", input = S.class, state = S.class)
    static class Unreachable {
        @Start void a(S s) { }
        @Listen("c") void b(S s) { }
        @Listen("b") void c(S s) { }
    }

    @Vetoed
    @Flow(name = "deaf-label", input = S.class, state = S.class)
    static class DeafLabel {
        @Start void a(S s) { }
        @Router(after = "a", labels = {"left", "right"}) String r(S s) { return "left"; }
        @Listen("left") void l(S s) { }
    }

    @Vetoed
    @Flow(name = "unknown-role", input = S.class, state = S.class)
    static class UnknownRole {
        @Start @AsksAgent("janitor") AgentAsk a(S s) { return AgentAsk.to("janitor", "?", null); }
    }

    @Vetoed
    @Flow(name = "bad-signature", input = S.class, state = S.class)
    static class BadSignature {
        @Start void a(S s, String extra) { }
    }

    @Vetoed
    @Flow(name = "Bad_Name", input = S.class, state = S.class)
    static class BadName {
        @Start void a(S s) { }
    }

    @Vetoed
    @Flow(name = "undeclared-ask", input = S.class, state = S.class)
    static class UndeclaredAsk {
        @Start AgentAsk a(S s) { return AgentAsk.to("ceo", "?", null); }
    }

    @Vetoed
    @Flow(name = "timeout-of-non-ask", input = S.class, state = S.class)
    static class TimeoutOfNonAsk {
        @Start void a(S s) { }
        @Listen("a.timeout") void b(S s) { }
    }

    /** A state with steps' fields and no way to be built from {@link In}. */
    static class Written {
        public int n;
        public String decision;
    }

    /** What a caller gives. */
    record In(int n) {
    }

    @Vetoed
    @Flow(name = "state-not-from-input", input = In.class, state = Written.class)
    static class StateNotFromInput {
        @Start void a(Written s) { }
    }

    @Vetoed
    @Flow(name = "valid-join", input = S.class, state = S.class)
    static class ValidJoin {
        @Start void a(S s) { }
        @Listen("a") void b(S s) { }
        @Listen("a") void c(S s) { }
        @Listen(value = {"b", "c"}, join = Join.ALL) void d(S s) { }
    }
}
