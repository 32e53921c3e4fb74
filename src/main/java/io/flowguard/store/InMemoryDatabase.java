package io.flowguard.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.h2.jdbcx.JdbcConnectionPool;

/**
 * A private H2 database in memory, migrated by the product's own Flyway history, with a
 * {@link Store} open on it: what the test kit runs a flow on. Nothing outside this object can
 * reach it (its name is random); {@link #close()} drops it.
 *
 * <p>The pool is H2's own ({@link JdbcConnectionPool}): no thread of its own, connections handed
 * out in auto-commit, a bound on how many are open. The database lives until it is shut down
 * ({@code DB_CLOSE_DELAY=-1}), not until its last connection closes.
 */
public final class InMemoryDatabase implements AutoCloseable {

    /** Enough for a test's concurrent answers; a test never needs more at once. */
    private static final int MAX_CONNECTIONS = 16;

    private final String url;
    private final JdbcConnectionPool pool;
    private final Store store;

    private InMemoryDatabase(CommitListener listener) {
        this.url = "jdbc:h2:mem:flowguard-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        this.pool = JdbcConnectionPool.create(url, "", "");
        pool.setMaxConnections(MAX_CONNECTIONS);
        new SchemaMigrator(pool, DatabaseVendor.H2).migrate();
        this.store = Store.open(pool, DatabaseVendor.H2, listener);
    }

    /**
     * Creates the database, applies every migration and opens the store.
     *
     * @param listener told of committed changes ({@link CommitListener#NONE} for none)
     * @return the open database
     */
    public static InMemoryDatabase open(CommitListener listener) {
        return new InMemoryDatabase(listener);
    }

    /** @return the store on this database */
    public Store store() {
        return store;
    }

    /** @return its JDBC URL, for a look with a plain JDBC connection (it names an in-memory database) */
    public String url() {
        return url;
    }

    /**
     * Deletes every row but Flyway's history, so the next test starts on an empty, migrated
     * database without paying for a new one (migrating it and booting the persistence unit take
     * a few hundred milliseconds; this takes a few).
     */
    public void clear() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
                    + "WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            s.execute("SET REFERENTIAL_INTEGRITY FALSE");
            for (String table : tables) {
                if (!table.equalsIgnoreCase("flyway_schema_history")) {
                    s.execute("TRUNCATE TABLE \"" + table + "\" RESTART IDENTITY");
                }
            }
            s.execute("SET REFERENTIAL_INTEGRITY TRUE");
        } catch (SQLException e) {
            throw new StoreException("cannot empty the in-memory database", e);
        }
    }

    /** Closes the store and drops the database with every row in it. */
    @Override
    public void close() {
        store.close();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new StoreException("cannot shut the in-memory database down", e);
        } finally {
            pool.dispose();
        }
    }
}
