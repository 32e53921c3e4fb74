package io.flowguard.store;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.SharedCacheMode;
import jakarta.persistence.ValidationMode;
import jakarta.persistence.spi.ClassTransformer;
import jakarta.persistence.spi.PersistenceUnitInfo;
import jakarta.persistence.spi.PersistenceUnitTransactionType;
import org.hibernate.jpa.HibernatePersistenceProvider;

/**
 * The one persistence unit, bootstrapped by the store itself on the data source it is given:
 * resource-local (the store demarcates every transaction; no second resource ever takes part, so
 * JTA would add a transaction manager and nothing else), its entities listed, no
 * {@code persistence.xml} (an application server deploying the WAR must not find a unit of its
 * own to manage). Schema comes only from Flyway ({@code db/migration}); Hibernate never generates
 * or alters it, and boot needs no connection (the dialect is named, JDBC metadata not read), so
 * the service starts while the database is away; {@link Store#validateSchema()} compares the
 * entities with the tables once the database answers.
 */
final class PersistenceUnit {

    static final String NAME = "flowguard";

    private static final List<String> ENTITIES = List.of(FlowExecution.class.getName(),
            ExecutionEvent.class.getName(), AgentRequest.class.getName(), IdempotencyKey.class.getName());

    private PersistenceUnit() {
    }

    static EntityManagerFactory open(DataSource dataSource, DatabaseVendor vendor) {
        Map<String, Object> settings = Map.of(
                "hibernate.dialect", vendor.hibernateDialect(),
                "hibernate.temp.use_jdbc_metadata_defaults", "false",
                "hibernate.jdbc.batch_size", "50",
                "hibernate.order_inserts", "true",
                "hibernate.jdbc.time_zone", "UTC",
                "hibernate.show_sql", "false",
                "jakarta.persistence.schema-generation.database.action", "none");
        return new HibernatePersistenceProvider().createContainerEntityManagerFactory(new Info(dataSource), settings);
    }

    /** The unit as the provider sees it. */
    private record Info(DataSource dataSource) implements PersistenceUnitInfo {

        @Override
        public String getPersistenceUnitName() {
            return NAME;
        }

        @Override
        public String getPersistenceProviderClassName() {
            return HibernatePersistenceProvider.class.getName();
        }

        @Override
        public PersistenceUnitTransactionType getTransactionType() {
            return PersistenceUnitTransactionType.RESOURCE_LOCAL;
        }

        @Override
        public DataSource getJtaDataSource() {
            return null;
        }

        @Override
        public DataSource getNonJtaDataSource() {
            return dataSource;
        }

        @Override
        public List<String> getMappingFileNames() {
            return List.of();
        }

        @Override
        public List<URL> getJarFileUrls() {
            return List.of();
        }

        @Override
        public URL getPersistenceUnitRootUrl() {
            return null;
        }

        @Override
        public List<String> getManagedClassNames() {
            return ENTITIES;
        }

        @Override
        public boolean excludeUnlistedClasses() {
            return true;
        }

        @Override
        public SharedCacheMode getSharedCacheMode() {
            return SharedCacheMode.NONE;
        }

        @Override
        public ValidationMode getValidationMode() {
            return ValidationMode.NONE;
        }

        @Override
        public Properties getProperties() {
            return new Properties();
        }

        @Override
        public String getPersistenceXMLSchemaVersion() {
            return "3.0";
        }

        @Override
        public ClassLoader getClassLoader() {
            return PersistenceUnit.class.getClassLoader();
        }

        @Override
        public void addTransformer(ClassTransformer transformer) {
        }

        @Override
        public ClassLoader getNewTempClassLoader() {
            return null;
        }
    }
}
