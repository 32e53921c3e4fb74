package io.flowguard.service;

import io.flowguard.config.DatabaseSettings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flowguard.store.DatabaseVendor;

/**
 * Builds the HikariCP pool the service and the {@code migrate} command share.
 *
 * <p>The pool is created without connecting ({@code initializationFailTimeout = -1}) so that a
 * database that is down at boot makes the service not-ready instead of crash-looping; readiness
 * reports the reason and recovers by itself when the database returns.
 */
public final class PooledDataSourceFactory {

    private PooledDataSourceFactory() {
    }

    /**
     * A new pool for the settings; the caller closes it.
     *
     * @param settings where and how to connect
     * @param poolName a name that shows in the pool's own logs and metrics
     * @return the pool
     */
    public static HikariDataSource create(DatabaseSettings settings, String poolName) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(poolName);
        hikari.setJdbcUrl(settings.url());
        if (!settings.user().isEmpty()) {
            hikari.setUsername(settings.user());
        }
        if (!settings.password().isEmpty()) {
            hikari.setPassword(settings.password());
        }
        hikari.setMaximumPoolSize(settings.poolSize());
        hikari.setMinimumIdle(Math.min(2, settings.poolSize()));
        hikari.setConnectionTimeout(Math.max(250, settings.connectTimeout().toMillis()));
        hikari.setValidationTimeout(Math.max(250, Math.min(settings.connectTimeout().toMillis(), 5_000)));
        hikari.setInitializationFailTimeout(-1);
        // The store opens and ends each transaction itself; Hikari hands out connections in autocommit.
        hikari.setAutoCommit(true);
        if (DatabaseVendor.ofUrl(settings.url()) == DatabaseVendor.POSTGRESQL) {
            // A commit's history events, batched by Hibernate, go as one multi-row INSERT, not one statement each.
            hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        return new HikariDataSource(hikari);
    }
}
