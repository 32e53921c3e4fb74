package io.flowguard.store;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

import jakarta.persistence.PersistenceException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * What counts as "the database is unreachable" (a 503, retry) and what does not (a 500 or the
 * caller's own problem): recognised precisely, by exception type and SQLState, wherever it sits
 * in the cause chain, never as "any RuntimeException".
 */
class DatabaseOutageRecognitionTest {

    private static RuntimeException wrapped(Throwable cause) {
        return new PersistenceException("could not execute statement", new IllegalStateException("tx", cause));
    }

    @Test
    void theSqlStateClassOfConnectionExceptionsIsAnOutageWhereverItIsInTheChain() {
        assertThat(DatabaseOutage.isCause(wrapped(new SQLException("I/O error", "08006"))), is(true));
        assertThat(DatabaseOutage.isCause(wrapped(new SQLException("refused", "08001"))), is(true));
    }

    @Test
    void postgresqlShuttingDownOrStartingUpIsAnOutage() {
        for (String state : new String[] {"57P01", "57P02", "57P03"}) {
            assertThat(state, DatabaseOutage.isCause(wrapped(new SQLException("terminating", state))), is(true));
        }
    }

    @Test
    void thePoolTimingOutForAConnectionIsAnOutageEvenWithoutASqlState() {
        assertThat(DatabaseOutage.isCause(wrapped(new SQLTransientConnectionException(
                "flowguard - Connection is not available, request timed out after 500ms."))), is(true));
    }

    @Test
    void aConnectionTheDriverCallsBrokenAndHibernatesTranslationAreOutages() {
        assertThat(DatabaseOutage.isCause(wrapped(new SQLNonTransientConnectionException("broken", "90067"))), is(true));
        assertThat(DatabaseOutage.isCause(new JDBCConnectionException("Unable to acquire JDBC Connection",
                new SQLException("no state"))), is(true));
    }

    @Test
    void otherDatabaseErrorsAndPlainBugsAreNotOutages() {
        assertThat(DatabaseOutage.isCause(wrapped(new SQLIntegrityConstraintViolationException("dup", "23505"))), is(false));
        assertThat(DatabaseOutage.isCause(wrapped(new SQLException("serialization", "40001"))), is(false));
        assertThat(DatabaseOutage.isCause(wrapped(new SQLTimeoutException("statement timeout", "57014"))), is(false));
        assertThat(DatabaseOutage.isCause(wrapped(new SQLException("no state"))), is(false));
        assertThat(DatabaseOutage.isCause(new IllegalStateException("connection refused")), is(false));
        assertThat(DatabaseOutage.isCause(new RuntimeException()), is(false));
    }

    @Test
    void aCauseChainWithACycleEnds() {
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.initCause(b);
        assertThat(DatabaseOutage.isCause(a), is(false));
    }
}
