package io.flowguard.service;

import io.flowguard.config.DatabaseSettings;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/**
 * Produces the one pooled {@link DataSource} named {@value #NAME}, which the persistence unit
 * uses as its JTA data source (Helidon's JPA integration makes it transaction-aware) and which
 * Flyway and health checks use directly.
 */
@ApplicationScoped
public class DataSourceProducer {

    /** The data source name the persistence unit refers to. */
    public static final String NAME = "flowguard-db";

    @Produces
    @Singleton
    DatabaseSettings settings(Config config) {
        return DatabaseSettings.from(config);
    }

    @Produces
    @ApplicationScoped
    @Named(NAME)
    DataSource dataSource(DatabaseSettings settings) {
        return PooledDataSourceFactory.create(settings, "flowguard");
    }

    void close(@Disposes @Named(NAME) DataSource dataSource) {
        if (dataSource instanceof HikariDataSource hikari) {
            hikari.close();
        }
    }
}
