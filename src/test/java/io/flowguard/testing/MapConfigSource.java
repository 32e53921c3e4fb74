package io.flowguard.testing;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Fixed key/values for one test, above everything else (ordinal 1000).
 *
 * @param name   a name for diagnostics
 * @param values the keys and values
 */
public record MapConfigSource(String name, Map<String, String> values) implements ConfigSource {

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public int getOrdinal() {
        return 1000;
    }
}
