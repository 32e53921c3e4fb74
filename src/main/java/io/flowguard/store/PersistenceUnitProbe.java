package io.flowguard.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;
import org.hibernate.SessionFactory;

/**
 * Asks Hibernate to validate the database schema against the mapped entities, which it does not
 * do at boot (see persistence.xml): {@link SchemaGate} calls this once the database is reachable
 * and fully migrated.
 */
@ApplicationScoped
class PersistenceUnitProbe {

    @PersistenceUnit(unitName = "flowguard")
    private EntityManagerFactory entityManagerFactory;

    /**
     * Has Hibernate compare every mapped table and column with the database.
     *
     * @throws org.hibernate.tool.schema.spi.SchemaManagementException when they differ
     */
    void validateSchema() {
        entityManagerFactory.unwrap(SessionFactory.class).getSchemaManager().validateMappedObjects();
    }
}
