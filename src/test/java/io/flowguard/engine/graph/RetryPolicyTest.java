package io.flowguard.engine.graph;


import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Retries are bounded and back off exponentially up to a cap. */
class RetryPolicyTest {

    @Test
    void backoffDoublesUpToTheCapAndStopsAtMaxAttempts() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(500), 2.0, Duration.ofSeconds(3));

        assertThat(policy.delayAfter(1), is(Duration.ofMillis(500)));
        assertThat(policy.delayAfter(2), is(Duration.ofSeconds(1)));
        assertThat(policy.delayAfter(3), is(Duration.ofSeconds(2)));
        assertThat(policy.delayAfter(4), is(Duration.ofSeconds(3)));
        assertThat(policy.allowsRetryAfter(4), is(true));
        assertThat(policy.allowsRetryAfter(5), is(false));
    }

    @Test
    void unboundedOrNonsensePoliciesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(21, Duration.ZERO, 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(3, Duration.ZERO, 0.5, Duration.ZERO));
    }
}
