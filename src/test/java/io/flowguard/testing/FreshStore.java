package io.flowguard.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flowguard.store.CommitListener;
import io.flowguard.store.DatabaseVendor;
import io.flowguard.store.SchemaMigrator;
import io.flowguard.store.Store;

/**
 * A {@link Store} without any container, on a fresh database of the run's kind (H2, or PostgreSQL
 * with {@code -Dflowguard.test.db=postgresql}), migrated: the way an embedder builds one. Closing
 * it drops the database.
 */
public final class FreshStore implements AutoCloseable {

    private final TestDatabase database = TestDatabase.fresh();
    private final HikariDataSource dataSource;
    private final Store store;

    /** Opens the pool, migrates the new database and opens the store on it. */
    public FreshStore() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.url());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(10);
        dataSource = new HikariDataSource(config);
        DatabaseVendor vendor = DatabaseVendor.ofUrl(database.url());
        new SchemaMigrator(dataSource, vendor).migrate();
        store = Store.open(dataSource, vendor, CommitListener.NONE);
    }

    /** @return the database (for plain JDBC connections outside the pool) */
    public TestDatabase database() {
        return database;
    }

    /** @return the pool the store runs on */
    public HikariDataSource dataSource() {
        return dataSource;
    }

    /** @return the store */
    public Store store() {
        return store;
    }

    /** Closes the store and the pool, and drops the database. */
    @Override
    public void close() {
        store.close();
        dataSource.close();
        database.drop();
    }
}
