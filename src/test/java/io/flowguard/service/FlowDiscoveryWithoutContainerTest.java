package io.flowguard.service;

import java.util.List;

import io.flowguard.engine.graph.FlowRegistry;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * What {@code verify} finds without a container is what CDI registered in this very process: the
 * same flows and versions (the shipped examples, the test flows, both versions of
 * {@code test-versioned}), and none of the {@code @Vetoed} flow classes the tests register
 * themselves.
 */
@HelidonTest
class FlowDiscoveryWithoutContainerTest {

    @Inject
    FlowRegistry registry;
    @Inject
    Config config;

    @Test
    void theFlowsFoundWithoutTheContainerAreTheOnesTheServiceRegistered() {
        List<String> found = names(FlowDiscovery.registryWithoutContainer(config));

        assertThat(found, is(names(registry)));
        assertThat(found, hasItem("test-versioned v1"));
        assertThat(found, hasItem("test-versioned v2"));
        assertThat(found, hasItem("feature-approval v1"));
        assertThat("a @Vetoed flow class", found, not(hasItem("parcel v1")));
    }

    private static List<String> names(FlowRegistry registry) {
        return registry.flows().stream().flatMap(f -> registry.versions(f.name()).stream())
                .map(d -> d.name() + " v" + d.version()).sorted().toList();
    }
}
