package io.flowguard.engine.graph;


import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Roles are a closed set: parsing never grows it, unknown names are rejected. */
class AgentRolesTest {

    @Test
    void knownRolesParseAndUnknownOnesAreRejectedWithoutGrowingTheSet() {
        AgentRoles roles = AgentRoles.of(AgentRoles.DEFAULT);

        assertThat(roles.parse("ceo").orElseThrow(), is("ceo"));
        for (int i = 0; i < 10_000; i++) {
            assertThat(roles.parse("intruder-" + i).isPresent(), is(false));
        }
        assertThat(roles.parse(null).isPresent(), is(false));

        assertThat(roles.all().size(), is(9));
    }

    @Test
    void malformedOrEmptyConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AgentRoles.of("ceo,Not A Role"));
        assertThrows(IllegalArgumentException.class, () -> AgentRoles.of(" , "));
    }
}
