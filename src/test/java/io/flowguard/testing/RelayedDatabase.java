package io.flowguard.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.h2.tools.Server;

/**
 * A test database reached through a {@link TcpRelay}, so a test can take it away from a service
 * and give it back. PostgreSQL is relayed as it is; an in-memory H2 database is served by H2's
 * own TCP server in this JVM ({@code jdbc:h2:tcp:}), and the relay sits in front of that.
 *
 * @param relay  the relay to cut and restore
 * @param config the settings that point a service at the database through the relay
 */
public record RelayedDatabase(TcpRelay relay, Map<String, String> config) {

    private static final Pattern POSTGRES = Pattern.compile("jdbc:postgresql://([^/:]+)(?::(\\d+))?/(.+)");
    private static final Pattern H2_MEMORY = Pattern.compile("jdbc:h2:mem:([^;]+)(;.*)?");

    /**
     * @param db a test database
     * @return it behind a new relay
     */
    public static RelayedDatabase of(TestDatabase db) {
        Matcher pg = POSTGRES.matcher(db.url());
        if (pg.matches()) {
            TcpRelay relay = TcpRelay.to(pg.group(1), pg.group(2) == null ? 5432 : Integer.parseInt(pg.group(2)));
            return new RelayedDatabase(relay, settings(db,
                    "jdbc:postgresql://127.0.0.1:" + relay.port() + "/" + pg.group(3)));
        }
        Matcher h2 = H2_MEMORY.matcher(db.url());
        if (!h2.matches()) {
            throw new IllegalArgumentException("cannot relay " + db.vendor() + " database " + db.url());
        }
        try (Connection opened = db.connect()) {
            // the in-memory database exists (and, with DB_CLOSE_DELAY=-1, stays) for the TCP server to serve
            Server tcp = Server.createTcpServer("-tcpPort", "0", "-tcpDaemon").start();
            TcpRelay relay = TcpRelay.to("127.0.0.1", tcp.getPort());
            return new RelayedDatabase(relay, settings(db, "jdbc:h2:tcp://127.0.0.1:" + relay.port() + "/mem:"
                    + h2.group(1) + (h2.group(2) == null ? "" : h2.group(2))));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot serve the H2 database over TCP: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> settings(TestDatabase db, String url) {
        return Map.of("flowguard.db.url", url, "flowguard.db.user", db.user(), "flowguard.db.password", db.password());
    }
}
