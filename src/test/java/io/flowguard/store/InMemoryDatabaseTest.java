package io.flowguard.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The test kit's database: migrated by the product's whole Flyway history (the entities match
 * its tables), emptied by {@link InMemoryDatabase#clear()} down to that history, and gone once
 * closed.
 */
class InMemoryDatabaseTest {

    @Test
    void itIsMigratedLikeTheProductsClearedToItsHistoryAndDroppedWhenClosed() throws SQLException {
        InMemoryDatabase db = InMemoryDatabase.open(CommitListener.NONE);
        String url = db.url();
        db.store().validateSchema();
        db.store().createQuota("olga", Instant.parse("2030-01-01T00:00:00Z"));
        int migrations = count(url, "\"flyway_schema_history\"");
        assertThat(migrations > 0, is(true));
        assertThat(count(url, "owner_quota"), is(1));

        db.clear();

        assertThat(count(url, "owner_quota"), is(0));
        assertThat(count(url, "\"flyway_schema_history\""), is(migrations));
        db.close();
        SQLException gone = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(url.replace(";DB_CLOSE_DELAY=-1", ";IFEXISTS=TRUE"), "", "").close());
        assertThat(gone.getMessage(), containsString("not found"));
    }

    @Test
    void everyDatabaseIsItsOwn() {
        try (InMemoryDatabase one = InMemoryDatabase.open(CommitListener.NONE);
             InMemoryDatabase two = InMemoryDatabase.open(CommitListener.NONE)) {
            assertThat(one.url().equals(two.url()), is(false));
        }
    }

    private static int count(String url, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
