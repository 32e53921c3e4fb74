package io.flowguard.ops;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Liveness goes DOWN when the heap is over its threshold, and reports what it measured. */
class JvmLivenessCheckTest {

    private static HealthCheckResponse withThreshold(int percent) {
        JvmLivenessCheck check = new JvmLivenessCheck();
        check.maxHeapPercent = percent;
        return check.call();
    }

    @Test
    void upBelowTheHeapThresholdDownAtIt() {
        HealthCheckResponse up = withThreshold(101);
        assertThat(up.getStatus(), is(HealthCheckResponse.Status.UP));
        assertThat(up.getData().orElseThrow().get("deadlockedThreads"), is(0));
        assertThat(withThreshold(0).getStatus(), is(HealthCheckResponse.Status.DOWN));
    }
}
