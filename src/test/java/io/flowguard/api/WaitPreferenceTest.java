package io.flowguard.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** RFC 7240's wait preference as Flowguard reads it: honoured up to the maximum, else ignored. */
class WaitPreferenceTest {

    private static final Duration MAX = Duration.ofSeconds(30);

    private static Optional<Duration> of(String... headers) {
        return WaitPreference.of(List.of(headers), MAX);
    }

    @Test
    void aWaitIsReadAmongOtherPreferences() {
        assertThat(of("wait=10"), is(Optional.of(Duration.ofSeconds(10))));
        assertThat(of("respond-async, wait=5"), is(Optional.of(Duration.ofSeconds(5))));
        assertThat(of("return=minimal", "Wait=\"7\"; foo=bar"), is(Optional.of(Duration.ofSeconds(7))));
    }

    @Test
    void aLongerWaitIsCutToTheMaximum() {
        assertThat(of("wait=3600"), is(Optional.of(MAX)));
        assertThat(of("wait=999999999"), is(Optional.of(MAX)));
    }

    @Test
    void noWaitAZeroWaitOrAMalformedOneMeansNoWait() {
        assertThat(WaitPreference.of(null, MAX), is(Optional.empty()));
        for (String header : new String[] {"", "respond-async", "wait", "wait=", "wait=0", "wait=-1", "wait=1.5",
                "wait=abc", "wait=1234567890", "waiting=5"}) {
            assertThat(header, of(header), is(Optional.empty()));
        }
    }

    @Test
    void whatWasAppliedIsSaidInSeconds() {
        assertThat(WaitPreference.applied(Duration.ofSeconds(25)), is("wait=25"));
    }
}
