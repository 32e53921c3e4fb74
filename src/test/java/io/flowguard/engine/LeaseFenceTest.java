package io.flowguard.engine;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.flowguard.store.ExecutionStatus;
import io.flowguard.testflows.FencedFlow;
import io.flowguard.testflows.Gates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The step fence, without any container and without sleeping: time moves only when the test
 * moves the injected clock, and the step holds on a gate until the test lets it go.
 */
class LeaseFenceTest {

    private final EngineHarness harness = new EngineHarness();
    private final Engine a = harness.instance("instance-a").flow(FencedFlow.class).build();
    private final Engine b = harness.instance("instance-b").flow(FencedFlow.class).build();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aWorkerWhoseLeaseWasTakenOverCommitsNothingWhileTheReplacementRunsTheSameStep() throws Exception {
        String key = "taken-over-" + UUID.randomUUID();
        UUID id = a.start("test-fenced", "{\"key\":\"" + key + "\"}", "fence", null).execution().id();
        Thread stalled = Thread.ofPlatform().start(a::runDue);
        assertThat(Gates.awaitEntered(key + ":1"), is(true));
        ExecutionSnapshot held = a.get(id).orElseThrow();

        harness.clock.advance(EngineHarness.LEASE.plusSeconds(1)); // no heartbeat runs: instance-a stalled
        Thread replacement = Thread.ofPlatform().start(b::runDue);
        assertThat("instance-b took the lease over and runs the same step", Gates.awaitEntered(key + ":2"), is(true));
        assertThat(a.get(id).orElseThrow().leaseOwner(), is("instance-b"));

        Gates.release(key + ":1"); // the stalled step now finishes and tries to commit
        stalled.join(Duration.ofSeconds(30).toMillis());
        assertThat(stalled.isAlive(), is(false));
        ExecutionSnapshot meanwhile = a.get(id).orElseThrow();
        assertThat("nothing of the stalled worker was committed", meanwhile.version(), is(held.version()));
        assertThat(meanwhile.state(), not(org.hamcrest.Matchers.containsString("work run 1")));
        assertThat(meanwhile.leaseOwner(), is("instance-b"));
        assertThat(stepEventsBy(id, "instance-a", "work"), is(List.of()));

        Gates.release(key + ":2");
        replacement.join(Duration.ofSeconds(30).toMillis());
        ExecutionSnapshot done = a.get(id).orElseThrow();
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(done.state(), org.hamcrest.Matchers.containsString("work run 2"));
        assertThat(stepEventsBy(id, "instance-b", "work"), is(List.of("STEP_STARTED", "STEP_COMPLETED")));
    }

    @Test
    void aWorkerPastItsLeaseCommitsNothingEvenWhenNobodyTookItOver() throws Exception {
        String key = "expired-" + UUID.randomUUID();
        UUID id = a.start("test-fenced", "{\"key\":\"" + key + "\"}", "fence", null).execution().id();
        Thread stalled = Thread.ofPlatform().start(a::runDue);
        assertThat(Gates.awaitEntered(key + ":1"), is(true));
        ExecutionSnapshot held = a.get(id).orElseThrow();

        harness.clock.advance(EngineHarness.LEASE.plusMillis(1));
        Gates.release(key + ":2"); // the run after the refusal (instance-a claims the free row again) goes through
        Gates.release(key + ":1");
        stalled.join(Duration.ofSeconds(30).toMillis());
        assertThat(stalled.isAlive(), is(false));

        ExecutionSnapshot done = a.get(id).orElseThrow();
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat("the first run's result, committed past its lease, was refused whole",
                done.state(), not(org.hamcrest.Matchers.containsString("work run 1")));
        assertThat(done.state(), org.hamcrest.Matchers.containsString("work run 2"));
        assertThat(stepEventsBy(id, "instance-a", "work"), is(List.of("STEP_STARTED", "STEP_COMPLETED")));
        assertThat(held.version() < done.version(), is(true));
    }

    @Test
    void aWorkerJustInsideItsLeaseCommits() throws Exception {
        String key = "in-time-" + UUID.randomUUID();
        UUID id = a.start("test-fenced", "{\"key\":\"" + key + "\"}", "fence", null).execution().id();
        Thread worker = Thread.ofPlatform().start(a::runDue);
        assertThat(Gates.awaitEntered(key + ":1"), is(true));

        harness.clock.advance(EngineHarness.LEASE.minusMillis(1));
        Gates.release(key + ":1");
        worker.join(Duration.ofSeconds(30).toMillis());

        ExecutionSnapshot done = a.get(id).orElseThrow();
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(stepEventsBy(id, "instance-a", "work"), is(List.of("STEP_STARTED", "STEP_COMPLETED")));
    }

    private List<String> stepEventsBy(UUID id, String actor, String step) {
        return a.history(id, 0, 1000).stream().filter(v -> actor.equals(v.actor()) && step.equals(v.step()))
                .map(EventSnapshot::type).toList();
    }
}
