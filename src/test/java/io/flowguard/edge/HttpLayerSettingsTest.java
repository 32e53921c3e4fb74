package io.flowguard.edge;

import java.time.Duration;
import java.util.Map;

import io.flowguard.testing.MapConfigSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The request head timeout: its default, its bounds, and the refusal that names the key. */
class HttpLayerSettingsTest {

    private static Config config(Map<String, String> values) {
        return ConfigProviderResolver.instance().getBuilder().withSources(new MapConfigSource("http", values)).build();
    }

    private static Duration timeout(String value) {
        return HttpLayerSettings.from(config(Map.of("flowguard.http.request-head-timeout", value))).requestHeadTimeout();
    }

    @Test
    void theDefaultIsTenSeconds() {
        assertThat(HttpLayerSettings.from(config(Map.of())).requestHeadTimeout(), is(Duration.ofSeconds(10)));
    }

    @Test
    void fourSecondsAndFiveMinutesAreTheBounds() {
        assertThat(timeout("PT4S"), is(Duration.ofSeconds(4)));
        assertThat(timeout("PT5M"), is(Duration.ofMinutes(5)));
        for (String outside : new String[] {"PT3.999S", "PT5M0.001S", "PT0S", "-PT10S"}) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> timeout(outside));
            assertThat(refused.getMessage(), containsString("flowguard.http.request-head-timeout"));
        }
    }
}
