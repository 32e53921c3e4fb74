package io.flowguard.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

/** The databases Flowguard runs on. */
public enum DatabaseVendor {
    /** Embedded H2, for a laptop and quick tests. */
    H2("jdbc:h2:", "org.hibernate.dialect.H2Dialect"),
    /** PostgreSQL, for production and scale-out. */
    POSTGRESQL("jdbc:postgresql:", "org.hibernate.dialect.PostgreSQLDialect");

    private final String urlPrefix;
    private final String hibernateDialect;

    DatabaseVendor(String urlPrefix, String hibernateDialect) {
        this.urlPrefix = urlPrefix;
        this.hibernateDialect = hibernateDialect;
    }

    /** The Hibernate dialect class for this database. */
    public String hibernateDialect() {
        return hibernateDialect;
    }

    /** The name Flyway uses for vendor-specific migration folders. */
    public String folderName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DatabaseVendor ofUrl(String url) {
        for (DatabaseVendor v : values()) {
            if (url.startsWith(v.urlPrefix)) {
                return v;
            }
        }
        throw new IllegalStateException("flowguard.db.url must be a jdbc:h2: or jdbc:postgresql: URL");
    }

    /**
     * @param dataSource a connection pool
     * @return which database it connects to (asks a connection)
     * @throws IllegalStateException when the database cannot be reached or is neither
     */
    public static DatabaseVendor of(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return ofUrl(c.getMetaData().getURL());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell which database the data source is; name its vendor", e);
        }
    }
}
