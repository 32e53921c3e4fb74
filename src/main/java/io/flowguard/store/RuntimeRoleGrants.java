package io.flowguard.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * Gives the role the service runs as exactly what it needs on PostgreSQL, after {@code migrate}
 * (run as the schema's owner) has changed the schema: reading and writing rows of Flowguard's
 * tables and using their sequences, reading (never writing) Flyway's history, and nothing else.
 * Without ownership it cannot {@code DROP}, {@code ALTER}, {@code TRUNCATE} or create tables, so
 * a compromised service cannot change the schema or erase a table at once.
 */
public final class RuntimeRoleGrants {

    private static final Pattern ROLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private RuntimeRoleGrants() {
    }

    /**
     * @param owner a connection pool logged in as the schema's owner
     * @param role  the runtime role (lower-case letters, digits and underscores)
     * @return the schema the grants were made in
     * @throws IllegalArgumentException when the role name is malformed or is the owner itself
     * @throws SQLException             when a grant fails (e.g. the role does not exist)
     */
    public static String grant(DataSource owner, String role) throws SQLException {
        if (!ROLE.matcher(role).matches()) {
            throw new IllegalArgumentException("flowguard.db.runtime-role must be lower-case letters, digits and "
                    + "underscores, at most 63 characters");
        }
        try (Connection c = owner.getConnection(); Statement s = c.createStatement()) {
            String schema;
            String currentUser;
            try (ResultSet rs = s.executeQuery("SELECT current_schema(), current_user")) {
                rs.next();
                schema = rs.getString(1);
                currentUser = rs.getString(2);
            }
            if (role.equals(currentUser)) {
                throw new IllegalArgumentException("flowguard.db.runtime-role must not be the role that owns the "
                        + "schema (" + role + "): the service would be able to drop its tables");
            }
            String on = quote(schema);
            String to = quote(role);
            s.execute("GRANT USAGE ON SCHEMA " + on + " TO " + to);
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + on + " TO " + to);
            s.execute("REVOKE INSERT, UPDATE, DELETE ON " + on + ".flyway_schema_history FROM " + to);
            s.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + on + " TO " + to);
            return schema;
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
