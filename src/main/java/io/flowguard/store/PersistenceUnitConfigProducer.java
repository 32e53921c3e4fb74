package io.flowguard.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/**
 * Gives the persistence unit {@value #UNIT} its own narrow configuration
 * ({@link PersistenceUnitConfig}). Helidon's JPA integration selects a {@link Config} qualified
 * with the unit's name when making the entity manager factory and each entity manager; the extra
 * {@link PersistenceUnitConfig.View} qualifier keeps this bean from also being the
 * {@code @Default} one every other injection point gets.
 */
@ApplicationScoped
class PersistenceUnitConfigProducer {

    /** The persistence unit's name (persistence.xml); the data source has its own, {@value DataSourceProducer#NAME}. */
    static final String UNIT = "flowguard";

    @Produces
    @Singleton
    @Named(UNIT)
    @PersistenceUnitConfig.View
    Config persistenceUnitConfig(Config application) {
        return new PersistenceUnitConfig(application);
    }
}
