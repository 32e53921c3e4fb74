package io.flowguard.store;

import java.util.Set;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies {@code hibernate.dialect} from the configured database URL.
 *
 * <p>Helidon builds the persistence unit while the container starts; naming the dialect lets
 * Hibernate do so without opening a connection, so a database that is down at boot makes the
 * service not-ready (see {@link SchemaGate}) rather than unable to start. The schema itself is
 * validated later, by the gate, once the database answers.
 */
public class HibernateDialectConfigSource implements ConfigSource {

    static final String KEY = "hibernate.dialect";
    private static final ThreadLocal<Boolean> RESOLVING = ThreadLocal.withInitial(() -> false);

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(KEY);
    }

    @Override
    public String getValue(String propertyName) {
        if (!KEY.equals(propertyName) || RESOLVING.get()) {
            return null;
        }
        RESOLVING.set(true);
        try {
            return DatabaseSettings.from(ConfigProvider.getConfig()).vendor().hibernateDialect();
        } catch (RuntimeException e) {
            // A wrong URL is reported where the data source is built, with the key's name.
            return null;
        } finally {
            RESOLVING.set(false);
        }
    }

    @Override
    public String getName() {
        return "flowguard-hibernate-dialect";
    }

    /** Low: an operator's own {@code hibernate.dialect} wins. */
    @Override
    public int getOrdinal() {
        return 50;
    }
}
