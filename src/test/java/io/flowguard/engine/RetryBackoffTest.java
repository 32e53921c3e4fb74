package io.flowguard.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.flowguard.store.ExecutionStatus;
import io.flowguard.testflows.AlwaysFailsFlow;
import io.flowguard.testflows.FlakyFlow;
import io.flowguard.testflows.Gates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Retries wait out their backoff on the engine's clock: a failed step is not run again one
 * millisecond before its backoff ends and is at its end; the last attempt's failure fails the
 * execution, and nothing runs it after that.
 */
class RetryBackoffTest {

    private final EngineHarness harness = new EngineHarness();
    private final Engine engine = harness.instance("retrier")
            .flow(FlakyFlow.class).flow(AlwaysFailsFlow.class).build();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aFailedStepRunsAgainExactlyWhenItsBackoffEnds() {
        String key = "flaky-" + UUID.randomUUID();
        Instant started = harness.clock.instant();
        UUID id = engine.start("test-flaky", "{\"key\":\"" + key + "\"}", "retry-owner", null).execution().id();
        engine.runDue();
        assertThat(Gates.runs(key), is(1));
        assertThat(engine.get(id).orElseThrow().nextRunAt(), is(started.plusMillis(50)));

        waitOutBackoff(Duration.ofMillis(50), key, 1);
        assertThat(engine.get(id).orElseThrow().nextRunAt(), is(started.plusMillis(150)));
        waitOutBackoff(Duration.ofMillis(100), key, 2);

        ExecutionSnapshot done = engine.get(id).orElseThrow();
        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(done.state(), containsString("shaky"));
        assertThat(HistoryOf.events(engine, id, "RETRY_SCHEDULED").stream().map(EventSnapshot::detail)
                .map(d -> d.substring(d.indexOf("next attempt in"))).toList(),
                is(List.of("next attempt in PT0.05S", "next attempt in PT0.1S")));
    }

    @Test
    void theLastAttemptsFailureFailsTheExecution() {
        String key = "doomed-" + UUID.randomUUID();
        UUID id = engine.start("test-always-fails", "{\"key\":\"" + key + "\"}", "retry-owner", null)
                .execution().id();
        engine.runDue();
        assertThat(Gates.runs(key), is(1));

        waitOutBackoff(Duration.ofMillis(20), key, 1);

        ExecutionSnapshot failed = engine.get(id).orElseThrow();
        assertThat(failed.status(), is(ExecutionStatus.FAILED));
        assertThat(failed.errorType(), is("step_failed"));
        assertThat(failed.error(), containsString("step doomed failed after 2 attempt(s)"));
        assertThat(failed.error(), containsString("the ledger is closed"));
        assertThat(failed.nextRunAt(), is((Instant) null));
        harness.clock.advance(Duration.ofHours(1));
        assertThat("nothing runs a failed execution again", engine.runDue(), is(0));
        assertThat(Gates.runs(key), is(2));
    }

    /** Moves the clock to 1 ms before the backoff's end (nothing runs), then to its end (the step runs). */
    private void waitOutBackoff(Duration backoff, String key, int runsBefore) {
        harness.clock.advance(backoff.minusMillis(1));
        assertThat("1 ms before the backoff ends", engine.runDue(), is(0));
        assertThat(Gates.runs(key), is(runsBefore));
        harness.clock.advance(Duration.ofMillis(1));
        assertThat("at the backoff's end", engine.runDue(), is(1));
        assertThat(Gates.runs(key), is(runsBefore + 1));
    }
}
