package io.flowguard.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.flowguard.config.DatabaseSettings;
import io.flowguard.store.DatabaseVendor;
import io.flowguard.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The service's pool on PostgreSQL sends a batch of inserts (a commit's history events) as one statement. */
class PooledDataSourceFactoryTest {

    @Test
    void aBatchOfInsertsIsOneStatementOnPostgresql() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "PostgreSQL's driver: runs with -Dflowguard.test.db=postgresql");
        TestDatabase db = TestDatabase.fresh();
        try (HikariDataSource pool = PooledDataSourceFactory.create(new DatabaseSettings(db.url(), db.user(),
                db.password(), DatabaseVendor.POSTGRESQL, 2, Duration.ofSeconds(5)), "batch-test");
             Connection c = pool.getConnection()) {
            try (Statement s = c.createStatement()) {
                // a statement-level trigger counts the INSERT statements the server runs
                s.execute("CREATE TABLE batched (n INT)");
                s.execute("CREATE TABLE statements (count INT)");
                s.execute("INSERT INTO statements VALUES (0)");
                s.execute("CREATE FUNCTION count_statement() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN UPDATE statements SET count = count + 1; RETURN NULL; END $$");
                s.execute("CREATE TRIGGER counted AFTER INSERT ON batched FOR EACH STATEMENT "
                        + "EXECUTE FUNCTION count_statement()");
            }
            c.setAutoCommit(false); // as in the store's transactions
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO batched (n) VALUES (?)")) {
                for (int n = 0; n < 4; n++) {
                    insert.setInt(1, n);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT (SELECT count FROM statements), (SELECT COUNT(*) FROM batched)")) {
                rs.next();
                assertThat("rows inserted", rs.getInt(2), is(4));
                assertThat("INSERT statements the server ran", rs.getInt(1), is(1));
            }
        } finally {
            db.drop();
        }
    }
}
