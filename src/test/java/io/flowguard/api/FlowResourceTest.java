package io.flowguard.api;

import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

@HelidonTest
class FlowResourceTest {

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    @Test
    void flowsNeedAToken() {
        try (Response r = target.path("/flows").request().get()) {
            assertThat(r.getStatus(), is(401));
        }
    }

    @Test
    void aUserSeesTheFlows() {
        try (Response r = target.path("/flows").request()
                .header("Authorization", "Bearer " + TestTokens.token("alice", "flow-user")).get()) {
            assertThat(r.getStatus(), is(200));
            assertThat(r.readEntity(String.class), containsString("feature-approval"));
        }
    }

    @Test
    void aTokenWithoutTheRoleIsForbidden() {
        try (Response r = target.path("/flows").request()
                .header("Authorization", "Bearer " + TestTokens.token("eve", "nobody")).get()) {
            assertThat(r.getStatus(), is(403));
        }
    }
}
