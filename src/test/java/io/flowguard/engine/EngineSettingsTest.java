package io.flowguard.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.flowguard.testing.MapConfigSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Defaults match the design, and configuration can lower the caps but never raise them past the hard limits. */
class EngineSettingsTest {

    private static Config config(Map<String, String> values) {
        return ConfigProviderResolver.instance().getBuilder()
                .withSources(new MapConfigSource("engine-settings", values)).build();
    }

    @Test
    void defaultsAreSixtySecondsTenMinutesAndOneMegabyte() {
        EngineSettings s = io.flowguard.service.EngineProducer.settings(config(Map.of()));

        assertThat(s.defaultAgentWait(), is(Duration.ofSeconds(60)));
        assertThat(s.maxAgentWait(), is(Duration.ofMinutes(10)));
        assertThat(s.maxStateBytes(), is(1_048_576));
    }

    @Test
    void theStateCapCannotBeRaisedAboveTheHardMaximum() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> io.flowguard.service.EngineProducer.settings(config(Map.of("flowguard.state.max-bytes", "2000000"))));
        assertThat(e.getMessage(), containsString("flowguard.state.max-bytes"));
        assertThat(io.flowguard.service.EngineProducer.settings(config(Map.of("flowguard.state.max-bytes", "4096"))).maxStateBytes(), is(4096));
    }

    @Test
    void aFlowsWaitIsCappedAndTheDefaultAppliesWhenItAsksNone() {
        EngineSettings s = io.flowguard.service.EngineProducer.settings(config(Map.of()));

        assertThat(s.agentWait(Optional.empty()), is(Duration.ofSeconds(60)));
        assertThat(s.agentWait(Optional.of(Duration.ofSeconds(5))), is(Duration.ofSeconds(5)));
        assertThat(s.agentWait(Optional.of(Duration.ofDays(30))), is(Duration.ofMinutes(10)));
    }

    @Test
    void theDefaultWaitMayNotExceedTheCap() {
        assertThrows(IllegalArgumentException.class, () -> io.flowguard.service.EngineProducer.settings(config(Map.of(
                "flowguard.agent-wait.default", "PT20M"))));
        assertThrows(IllegalArgumentException.class, () -> io.flowguard.service.EngineProducer.settings(config(Map.of(
                "flowguard.agent-wait.max", "P2D"))));
    }

    @Test
    void stepsPerCommitIsOneUpToStepsPerClaim() {
        assertThat(io.flowguard.service.EngineProducer.settings(config(Map.of())).stepsPerCommit(), is(16));
        for (String refused : new String[] {"0", "11"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> io.flowguard.service.EngineProducer.settings(config(Map.of(
                            "flowguard.engine.steps-per-claim", "10", "flowguard.engine.steps-per-commit", refused))));
            assertThat(e.getMessage(), containsString("flowguard.engine.steps-per-commit"));
        }
        for (String kept : new String[] {"1", "10"}) {
            assertThat(io.flowguard.service.EngineProducer.settings(config(Map.of(
                    "flowguard.engine.steps-per-claim", "10", "flowguard.engine.steps-per-commit", kept)))
                    .stepsPerCommit(), is(Integer.parseInt(kept)));
        }
    }

    @Test
    void aCopyWithOtherWaitsOrAnotherCapKeepsEverythingElseAndTheSameChecks() {
        EngineSettings d = EngineSettings.defaults();

        EngineSettings waits = d.withAgentWaits(Duration.ofSeconds(5), Duration.ofSeconds(7));
        EngineSettings cap = d.withMaxActivePerOwner(1);

        assertThat(waits, is(new EngineSettings(d.workers(), d.claimBatch(), d.pollInterval(), d.leaseDuration(),
                d.heartbeatInterval(), d.sweepInterval(), d.stepsPerClaim(), d.stepsPerCommit(), Duration.ofSeconds(5),
                Duration.ofSeconds(7), d.maxStateBytes(), d.handOffBacklog(), d.maxActivePerOwner(),
                d.idempotencyTtl(), d.shutdownGrace())));
        assertThat(cap.withMaxActivePerOwner(d.maxActivePerOwner()), is(d));
        assertThat(cap.maxActivePerOwner(), is(1));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxActivePerOwner(0));
        assertThrows(IllegalArgumentException.class, () -> d.withAgentWaits(Duration.ofSeconds(8), Duration.ofSeconds(7)));
    }
}
