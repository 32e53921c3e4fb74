package io.flowguard.testing;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Points every service started by the tests at {@link TestDatabase#shared()}, above the
 * environment (ordinal 350), so a developer's own {@code FLOWGUARD_DB_URL} never leaks into a
 * test run. A test that needs another database overrides these keys with its own config.
 */
public class TestDatabaseConfigSource implements ConfigSource {

    private volatile Map<String, String> values;

    private Map<String, String> values() {
        Map<String, String> v = values;
        if (v == null) {
            v = TestDatabase.shared().config();
            values = v;
        }
        return v;
    }

    @Override
    public Set<String> getPropertyNames() {
        return values().keySet();
    }

    @Override
    public String getValue(String propertyName) {
        if (!propertyName.startsWith("flowguard.db.")) {
            return null;
        }
        return values().get(propertyName);
    }

    @Override
    public String getName() {
        return "flowguard-test-database";
    }

    @Override
    public int getOrdinal() {
        return 350;
    }
}
