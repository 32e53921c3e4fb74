package io.flowguard.testing;

import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Points the {@code media} service that {@code campaign-launch} calls at {@link MediaPlanner},
 * a real local HTTP server, for every service the tests start (above the environment, like
 * {@link TestDatabaseConfigSource}). The server starts on first use.
 */
public class LocalServicesConfigSource implements ConfigSource {

    private static final String MEDIA_URL = "flowguard.services.media.url";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(MEDIA_URL);
    }

    @Override
    public String getValue(String propertyName) {
        return MEDIA_URL.equals(propertyName) ? MediaPlanner.shared().url() : null;
    }

    @Override
    public String getName() {
        return "flowguard-test-local-services";
    }

    @Override
    public int getOrdinal() {
        return 350;
    }
}
