package io.flowguard.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A fresh, empty database for tests, on the engine the run was asked for: H2 (in memory) by
 * default, or a real PostgreSQL server when {@code -Dflowguard.test.db=postgresql}
 * (or {@code FLOWGUARD_TEST_DB=postgresql}).
 *
 * <p>Every database this class creates has a unique name, so runs never share state; the
 * PostgreSQL ones are dropped when the test JVM exits. The server is found at
 * {@code FLOWGUARD_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/postgres}) as
 * {@code FLOWGUARD_TEST_PG_USER} (default {@code postgres}) with {@code FLOWGUARD_TEST_PG_PASSWORD}.
 *
 * @param url      JDBC URL of the new database
 * @param user     user to connect as
 * @param password password (may be empty)
 * @param vendor   "h2" or "postgresql"
 */
public record TestDatabase(String url, String user, String password, String vendor) {

    private static final ConcurrentLinkedQueue<String> CREATED = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<String> ROLES = new ConcurrentLinkedQueue<>();
    private static volatile TestDatabase shared;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropCreated, "drop-test-databases"));
    }

    /** @return the one database the whole test run's services share */
    public static TestDatabase shared() {
        TestDatabase db = shared;
        if (db == null) {
            synchronized (TestDatabase.class) {
                if (shared == null) {
                    shared = fresh();
                }
                db = shared;
            }
        }
        return db;
    }

    /** @return a new empty database, for a test that needs one of its own */
    public static TestDatabase fresh() {
        String name = "flowguard_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        if (isPostgres()) {
            return createPostgres(name);
        }
        return new TestDatabase("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "", "", "h2");
    }

    /** @return true when this run targets PostgreSQL */
    public static boolean isPostgres() {
        String chosen = System.getProperty("flowguard.test.db", System.getenv().getOrDefault("FLOWGUARD_TEST_DB", "h2"));
        return chosen.toLowerCase(Locale.ROOT).startsWith("postgres");
    }

    /** @return the settings a service needs to use this database */
    public Map<String, String> config() {
        return Map.of("flowguard.db.url", url, "flowguard.db.user", user, "flowguard.db.password", password);
    }

    /**
     * Opens a plain JDBC connection (not through the service) for setting up or checking rows.
     *
     * @return a new connection; the caller closes it
     * @throws SQLException when the database cannot be reached
     */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    private static TestDatabase createPostgres(String name) {
        String adminUrl = env("FLOWGUARD_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String user = env("FLOWGUARD_TEST_PG_USER", "postgres");
        String password = env("FLOWGUARD_TEST_PG_PASSWORD", "");
        try (Connection c = DriverManager.getConnection(adminUrl, user, password);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + adminUrl + ": " + e.getMessage(), e);
        }
        CREATED.add(name);
        String url = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + name;
        return new TestDatabase(url, user, password, "postgresql");
    }

    /**
     * Creates a PostgreSQL login role (cluster-wide, so dropped at the end of the run, after the
     * databases that mention it).
     *
     * @param prefix the start of its name; a random suffix keeps runs apart
     * @return the role's name
     */
    public static String createRole(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE ROLE " + name + " LOGIN");
        ROLES.add(name);
        return name;
    }

    /**
     * Runs a statement as the PostgreSQL administrator in this database.
     *
     * @param sql the statement
     */
    public void asAdmin(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Drops this database now (its connections must be closed), instead of at the end of the run:
     * a run that makes a database per test would otherwise leave the dropping of dozens to the
     * JVM's exit, which the test runner cuts short. An H2 database in memory is shut down.
     */
    public void drop() {
        if (!"h2".equals(vendor)) {
            String name = url.substring(url.lastIndexOf('/') + 1);
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            CREATED.remove(name);
            return;
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void admin(String sql) {
        String adminUrl = env("FLOWGUARD_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        try (Connection c = DriverManager.getConnection(adminUrl, env("FLOWGUARD_TEST_PG_USER", "postgres"),
                env("FLOWGUARD_TEST_PG_PASSWORD", ""));
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void dropCreated() {
        if (CREATED.isEmpty() && ROLES.isEmpty()) {
            return;
        }
        String adminUrl = env("FLOWGUARD_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        try (Connection c = DriverManager.getConnection(adminUrl, env("FLOWGUARD_TEST_PG_USER", "postgres"),
                env("FLOWGUARD_TEST_PG_PASSWORD", ""));
             Statement s = c.createStatement()) {
            for (String name : CREATED) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
            for (String role : ROLES) {
                s.execute("DROP ROLE IF EXISTS " + role);
            }
        } catch (SQLException e) {
            System.err.println("could not drop test databases: " + e.getMessage());
        }
    }

    private static String env(String key, String fallback) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? fallback : value;
    }
}
