package io.flowguard.edge;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;

/**
 * What the server's edge does before any request reaches the API: which browser origins may
 * call it (CORS), whether to send {@code Strict-Transport-Security}, which peers are proxies
 * that report the client's address, and the public URL the service's links start with.
 *
 * @param allowedOrigins exact origins ({@code scheme://host[:port]}) allowed to call from a browser
 * @param hsts           the {@code Strict-Transport-Security} value, when configured
 * @param trustedProxies peers whose {@code Forwarded}/{@code X-Forwarded-For} name the client (may be empty)
 * @param publicUrl      the service's public base URL ({@code https://host[:port][/path]}, no trailing
 *                       slash), when configured
 */
public record EdgeSettings(List<String> allowedOrigins, Optional<String> hsts, List<Cidr> trustedProxies,
                           Optional<URI> publicUrl) {

    /** The key of the trusted proxies. */
    public static final String TRUSTED_PROXIES = "flowguard.http.trusted-proxies";
    /** The key of the public base URL. */
    public static final String PUBLIC_URL = "flowguard.http.public-url";

    /**
     * Reads and checks the settings.
     *
     * @param config the application configuration
     * @return the settings
     * @throws IllegalStateException when an origin is {@code *}, {@code null} or not an origin, a
     *                               trusted proxy not an address or CIDR block, or the public URL
     *                               not an absolute http(s) URL without query and fragment
     */
    public static EdgeSettings from(Config config) {
        List<String> origins = config.getOptionalValues("cors.allowed-origins", String.class)
                .orElse(List.of("http://localhost:3000")).stream()
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String origin : origins) {
            if (origin.contains("*")) {
                throw new IllegalStateException("cors.allowed-origins (CORS_ALLOWED_ORIGINS) must list exact origins; "
                        + "'*' would let any web page call the API with its users' tokens");
            }
            if (!origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                throw new IllegalStateException("cors.allowed-origins (CORS_ALLOWED_ORIGINS): '" + origin
                        + "' is not an origin like https://app.example.com");
            }
        }
        Optional<String> hsts = config.getOptionalValue("flowguard.http.hsts", String.class)
                .map(String::strip).filter(s -> !s.isEmpty());
        return new EdgeSettings(List.copyOf(origins), hsts, trustedProxies(config), publicUrl(config));
    }

    private static List<Cidr> trustedProxies(Config config) {
        List<Cidr> blocks = new ArrayList<>();
        for (String block : config.getOptionalValues(TRUSTED_PROXIES, String.class).orElse(List.of())) {
            if (block.isBlank()) {
                continue;
            }
            try {
                blocks.add(Cidr.parse(block));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(TRUSTED_PROXIES + ": " + e.getMessage()
                        + "; list CIDR blocks such as 10.0.0.0/8, 2001:db8::/32");
            }
        }
        return List.copyOf(blocks);
    }

    /**
     * Reads and checks {@value #PUBLIC_URL}.
     *
     * @param config the application configuration
     * @return the URL without a trailing slash, when configured
     * @throws IllegalStateException naming the key when it is not an absolute http or https URL
     *                               with a host and without user info, query or fragment
     */
    public static Optional<URI> publicUrl(Config config) {
        Optional<String> value = config.getOptionalValue(PUBLIC_URL, String.class).map(String::strip)
                .filter(s -> !s.isEmpty());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        URI url;
        try {
            url = new URI(value.get());
        } catch (java.net.URISyntaxException e) {
            url = null;
        }
        if (url == null || url.isOpaque() || url.getScheme() == null
                || !List.of("http", "https").contains(url.getScheme().toLowerCase(Locale.ROOT))
                || url.getHost() == null || url.getRawUserInfo() != null
                || url.getRawQuery() != null || url.getRawFragment() != null) {
            // the value is not repeated: user info in it could be a password
            throw new IllegalStateException(PUBLIC_URL + " must be a public base URL like "
                    + "https://flows.example.com or https://example.com/flowguard (http or https, a host, "
                    + "no user info, query or fragment)");
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        return Optional.of(URI.create(url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getRawAuthority() + path));
    }

    /**
     * @param origin an {@code Origin} header value
     * @return true when it is exactly one of the allowed origins ({@code null} never is)
     */
    public boolean allows(String origin) {
        return origin != null && allowedOrigins.contains(origin);
    }
}
