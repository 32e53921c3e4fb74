package io.flowguard.engine;

import io.flowguard.engine.graph.FlowRegistry;
import io.flowguard.testing.MapConfigSource;
import io.flowguard.testing.TestDatabase;
import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code flowguard.flows.enabled} narrows the whitelist: other flow classes in the build cannot run.
 * On a database of its own: the one the test classes share holds unfinished executions of the flows
 * this service leaves out, which its deployment check would rightly refuse to start over.
 */
@HelidonTest
@AddConfig(key = "flowguard.flows.enabled", value = "campaign-launch")
class FlowsEnabledTest {

    @AddConfigSource
    static ConfigSource ownDatabase() {
        return new MapConfigSource("flows-enabled", TestDatabase.fresh().config());
    }

    @Inject
    Engine engine;

    @Inject
    FlowRegistry registry;

    @Test
    void onlyEnabledFlowsAreRegistered() {
        assertThat(registry.flows().stream().map(f -> f.name()).toList(), is(java.util.List.of("campaign-launch")));
        EngineException e = assertThrows(EngineException.class,
                () -> engine.start("feature-approval", "{\"featureName\":\"x\",\"estimatedCost\":1}", "zoe", null).execution());
        assertThat(e.problem(), is(EngineException.Problem.UNKNOWN_FLOW));
    }
}
