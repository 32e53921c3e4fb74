package io.flowguard.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The database one benchmark run uses: a fresh PostgreSQL database on the server at
 * {@code FLOWGUARD_BENCH_PG_URL} (default the local one, user {@code postgres}), dropped at the
 * end, or an H2 file in the run's folder. Reads PostgreSQL's own commit counter.
 */
final class BenchDatabase implements AutoCloseable {

    private static final String ADMIN_URL = env("FLOWGUARD_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String ADMIN_USER = env("FLOWGUARD_BENCH_PG_USER", "postgres");
    private static final String ADMIN_PASSWORD = env("FLOWGUARD_BENCH_PG_PASSWORD", "");

    final String vendor;
    final String url;
    final String user;
    final String password;
    private final String name;

    private BenchDatabase(String vendor, String url, String user, String password, String name) {
        this.vendor = vendor;
        this.url = url;
        this.user = user;
        this.password = password;
        this.name = name;
    }

    static BenchDatabase create(String vendor, Path folder) throws SQLException {
        if ("h2".equals(vendor)) {
            return new BenchDatabase("h2", "jdbc:h2:file:" + folder.resolve("bench").toAbsolutePath(), "bench",
                    "bench-password", null);
        }
        String name = "flowguard_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(ADMIN_URL, ADMIN_USER, ADMIN_PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        String url = ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name;
        // the server's own password when it has one; with trust authentication any non-empty one does
        return new BenchDatabase("postgresql", url, ADMIN_USER, ADMIN_PASSWORD.isEmpty() ? "bench" : ADMIN_PASSWORD,
                name);
    }

    /** @return a libpq connection URI for command-line tools (pgbench) */
    String jdbcFreeUri() {
        String hostAndDb = url.substring("jdbc:postgresql://".length());
        return "postgresql://" + ADMIN_USER + (ADMIN_PASSWORD.isEmpty() ? "" : ":" + ADMIN_PASSWORD) + "@" + hostAndDb;
    }

    /** @return the service's database settings, as environment variables */
    Map<String, String> environment() {
        return Map.of("FLOWGUARD_DB_URL", url, "FLOWGUARD_DB_USER", user, "FLOWGUARD_DB_PASSWORD", password);
    }

    /** @return a plain connection to this database (for the harness's own checks) */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, name == null ? user : ADMIN_USER, name == null ? password : ADMIN_PASSWORD);
    }

    /**
     * @param size the most connections
     * @return a pool on this database, for an engine or a migration run in the harness's own JVM
     */
    HikariDataSource pool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    /** @return transactions PostgreSQL has committed in this database so far (-1 on H2) */
    long commits() throws SQLException {
        if (name == null) {
            return -1;
        }
        try (Connection c = DriverManager.getConnection(ADMIN_URL, ADMIN_USER, ADMIN_PASSWORD);
             PreparedStatement ps = c.prepareStatement("SELECT xact_commit FROM pg_stat_database WHERE datname = ?")) {
            // the statistics collector reports with a short delay; a fresh snapshot per call
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_stat_clear_snapshot()");
            }
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Override
    public void close() throws SQLException {
        if (name != null) {
            try (Connection c = DriverManager.getConnection(ADMIN_URL, ADMIN_USER, ADMIN_PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    private static String env(String key, String fallback) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? fallback : value;
    }
}
