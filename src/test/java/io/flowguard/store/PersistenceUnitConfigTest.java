package io.flowguard.store;

import java.util.List;
import java.util.Map;

import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The persistence unit is given its own settings only. Helidon would otherwise hand every
 * MicroProfile Config key (our settings, the database password's key, system properties,
 * environment variables) to the entity manager factory and to each entity manager, and Hibernate
 * copies every one of them into each new session: once per transaction, on the hot path. The test
 * profile sets {@code flowguard.*}, {@code server.*} and {@code mp.*} keys, so they would show.
 */
@HelidonTest
class PersistenceUnitConfigTest {

    @Inject
    EntityManagerProperties entityManager;
    @Inject
    Config config;

    @Test
    void entityManagersSeeOnlyPersistenceSettings() {
        Map<String, Object> properties = entityManager.inTransaction();

        assertThat("application settings given to each entity manager", foreign(properties), is(empty()));
        assertThat(properties, hasKey(HibernateDialectConfigSource.KEY));
    }

    @Test
    void theFactorySeesOnlyPersistenceSettings() {
        Map<String, Object> properties = entityManager.ofFactory();

        assertThat("application settings given to the entity manager factory", foreign(properties), is(empty()));
        // what is meant for it still arrives: persistence.xml's and the dialect from the URL
        assertThat(properties, hasEntry("hibernate.jdbc.batch_size", "50"));
        assertThat(properties, hasKey(HibernateDialectConfigSource.KEY));
    }

    /**
     * @return the keys that come from the application's configuration or the environment (Hibernate
     *         adds the JVM's system properties to its factory by itself; those are not ours to hide)
     */
    private List<String> foreign(Map<String, Object> properties) {
        return properties.keySet().stream()
                .filter(k -> !PersistenceUnitConfig.isForPersistence(k) && System.getProperty(k) == null)
                .filter(k -> k.startsWith("flowguard.") || k.startsWith("mp.") || k.startsWith("server.")
                        || System.getenv(k) != null || config.getOptionalValue(k, String.class).isPresent())
                .toList();
    }

    @Test
    void theApplicationStillInjectsTheWholeConfig() {
        assertThat(config.getOptionalValue("flowguard.engine.workers", Integer.class).isPresent(), is(true));
    }
}
