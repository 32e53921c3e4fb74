package io.flowguard.edge;

import java.net.URI;
import java.util.List;
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

/** The CORS whitelist, HSTS, trusted proxies and public URL settings, and the startup refusals. */
class EdgeSettingsTest {

    private static Config config(Map<String, String> values) {
        return ConfigProviderResolver.instance().getBuilder().withSources(new MapConfigSource("edge", values)).build();
    }

    @Test
    void theDefaultAllowsOnlyTheLocalFrontEnd() {
        EdgeSettings settings = EdgeSettings.from(config(Map.of()));
        assertThat(settings.allowedOrigins(), is(List.of("http://localhost:3000")));
        assertThat(settings.allows("http://localhost:3000"), is(true));
        assertThat(settings.allows("http://localhost:3001"), is(false));
        assertThat(settings.allows("null"), is(false));
        assertThat(settings.allows(null), is(false));
        assertThat(settings.hsts(), is(Optional.empty()));
    }

    @Test
    void aCommaSeparatedListIsReadExactly() {
        EdgeSettings settings = EdgeSettings.from(config(Map.of(
                "cors.allowed-origins", "https://app.example.com, https://admin.example.com:8443",
                "flowguard.http.hsts", "max-age=31536000")));
        assertThat(settings.allows("https://admin.example.com:8443"), is(true));
        assertThat(settings.allows("https://app.example.com.evil.net"), is(false));
        assertThat(settings.allows("http://app.example.com"), is(false));
        assertThat(settings.hsts(), is(Optional.of("max-age=31536000")));
    }

    @Test
    void aWildcardOrSomethingThatIsNotAnOriginRefusesStartup() {
        for (String bad : new String[] {"*", "https://*.example.com", "null", "app.example.com", "https://a.com/path"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EdgeSettings.from(config(Map.of("cors.allowed-origins", "http://localhost:3000," + bad))));
            assertThat(e.getMessage(), containsString("CORS_ALLOWED_ORIGINS"));
        }
    }

    @Test
    void noProxyIsTrustedAndNoPublicUrlIsSetUnlessConfigured() {
        EdgeSettings settings = EdgeSettings.from(config(Map.of()));
        assertThat(settings.trustedProxies(), is(List.of()));
        assertThat(settings.publicUrl(), is(Optional.empty()));
    }

    @Test
    void trustedProxiesAreCommaSeparatedBlocksOfEitherFamily() {
        EdgeSettings settings = EdgeSettings.from(config(Map.of(
                "flowguard.http.trusted-proxies", "10.0.0.0/8, 192.0.2.7,2001:db8::/32")));
        assertThat(settings.trustedProxies().stream().map(Cidr::toString).toList(),
                is(List.of("10.0.0.0/8", "192.0.2.7/32", "2001:db8:0:0:0:0:0:0/32")));
    }

    @Test
    void aTrustedProxyThatIsNotABlockRefusesStartupNamingTheKey() {
        for (String bad : new String[] {"10.0.0.0/33", "proxy.internal", "10.0.0.1/8", "::/129"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EdgeSettings.from(config(Map.of("flowguard.http.trusted-proxies", "10.0.0.0/8," + bad))));
            assertThat(e.getMessage(), containsString("flowguard.http.trusted-proxies"));
            assertThat(e.getMessage(), containsString(bad));
        }
    }

    @Test
    void thePublicUrlIsAnHttpOrHttpsBaseWithoutItsTrailingSlash() {
        assertThat(EdgeSettings.from(config(Map.of("flowguard.http.public-url", "https://flows.example.com/")))
                .publicUrl(), is(Optional.of(URI.create("https://flows.example.com"))));
        assertThat(EdgeSettings.from(config(Map.of("flowguard.http.public-url", "HTTP://127.0.0.1:8080/api/v1//")))
                .publicUrl(), is(Optional.of(URI.create("http://127.0.0.1:8080/api/v1"))));
    }

    @Test
    void aPublicUrlThatIsNotAnAbsoluteBaseRefusesStartupNamingTheKey() {
        for (String bad : new String[] {"flows.example.com", "/api", "ftp://flows.example.com", "https://",
                "https://flows.example.com/?a=1", "https://flows.example.com/#top", "https://user:secret@flows.example.com",
                "https://flows example.com", "mailto:ops@example.com", "https:flows.example.com"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EdgeSettings.from(config(Map.of("flowguard.http.public-url", bad))), bad);
            assertThat(e.getMessage(), containsString("flowguard.http.public-url"));
            assertThat("never repeats a password", e.getMessage().contains("secret"), is(false));
        }
    }
}
