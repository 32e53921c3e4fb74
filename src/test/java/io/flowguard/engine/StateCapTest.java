package io.flowguard.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import io.flowguard.store.ExecutionStatus;
import io.flowguard.testflows.BloatFlow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The state cap at its boundary, in bytes of the state as stored: a step's result of cap - 1 or
 * exactly cap bytes is kept, one of cap + 1 fails the execution with {@code state_too_large} and
 * keeps the state as it was before the step. {@link BloatFlow}'s second step grows the state by
 * {@code grow} characters; the size it lands on is measured from a run that grows it by nothing.
 */
class StateCapTest {

    private static final int CAP = 4096;
    private static final String KEY = "cap";

    private final EngineHarness harness = new EngineHarness();
    private final Engine engine = harness.instance("cap-instance")
            .settings(TunedSettings.noWorkers().maxStateBytes(CAP).build()).flow(BloatFlow.class).build();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aStateOneByteUnderTheCapIsKept() {
        assertKept(CAP - 1);
    }

    @Test
    void aStateOfExactlyTheCapIsKept() {
        assertKept(CAP);
    }

    @Test
    void aStateOneByteOverTheCapFailsTheExecutionAndKeepsTheStateBeforeTheStep() {
        ExecutionSnapshot failed = run(growFor(CAP + 1));

        assertThat(failed.status(), is(ExecutionStatus.FAILED));
        assertThat(failed.errorType(), is("state_too_large"));
        assertThat(failed.error(), containsString("state is " + (CAP + 1) + " bytes, over the limit of " + CAP));
        assertThat("the state is the one before the oversized step", failed.state(),
                containsString("\"blob\":\"\",\"log\":[\"begin\"]"));
        assertThat(HistoryOf.ofStep(engine, failed.id(), "bloat"), is(List.of("STEP_STARTED", "FAILED")));
    }

    private void assertKept(int bytes) {
        ExecutionSnapshot done = run(growFor(bytes));

        assertThat(done.status(), is(ExecutionStatus.COMPLETED));
        assertThat(done.errorType(), is((String) null));
        assertThat(bytes(done.state()), is(bytes));
        assertThat(done.state(), containsString("\"bloat\""));
        assertThat(done.state(), not(containsString("\"blob\":\"\"")));
    }

    /**
     * @return the {@code grow} that makes the bloated state exactly {@code bytes} long: the run
     *         that grows by nothing writes {@code "grow":0} and an empty blob, and growing by
     *         {@code g} adds g characters to the blob and the digits of g beyond the one of 0
     */
    private int growFor(int bytes) {
        ExecutionSnapshot base = run(0);
        assertThat(base.status(), is(ExecutionStatus.COMPLETED));
        int baseBytes = bytes(base.state());
        for (int grow = bytes - baseBytes; grow > 0; grow--) {
            if (baseBytes + grow + String.valueOf(grow).length() - 1 == bytes) {
                return grow;
            }
        }
        throw new AssertionError("no grow reaches " + bytes + " bytes from " + baseBytes);
    }

    private ExecutionSnapshot run(int grow) {
        UUID id = engine.start("test-bloat", "{\"key\":\"" + KEY + "\",\"grow\":" + grow + "}", "bloater", null)
                .execution().id();
        engine.runDue();
        return engine.get(id).orElseThrow();
    }

    private static int bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8).length;
    }
}
