package io.flowguard.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An execution round-trips through JPA (Hibernate over the JTA data source) on the run's database,
 * its {@code @Version} counts every committed change, and a stale copy cannot overwrite a newer row.
 */
@HelidonTest
class FlowExecutionPersistenceTest {

    @Inject
    ExecutionStore store;

    private static FlowExecution newExecution(String owner) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        FlowExecution e = new FlowExecution(UUID.randomUUID(), "feature-approval", 1, owner,
                "{\"featureName\":\"x\"}", "{}", now);
        e.scheduleAt(null); // not due: these rows exercise persistence only, no worker may claim them
        return e;
    }

    @Test
    void executionRoundTripsWithEveryField() {
        FlowExecution created = store.insert(newExecution("alice"));

        FlowExecution read = store.find(created.id()).orElseThrow();

        assertThat(read.flow(), is("feature-approval"));
        assertThat(read.flowVersion(), is(1));
        assertThat(read.owner(), is("alice"));
        assertThat(read.status(), is(ExecutionStatus.PENDING));
        assertThat(read.state(), is("{\"featureName\":\"x\"}"));
        assertThat(read.createdAt(), is(created.createdAt()));
        assertThat(read.progress(), is("{}"));
        assertThat(read.version(), is(0L));
    }

    @Test
    void everyCommittedChangeIncrementsTheVersion() {
        FlowExecution created = store.insert(newExecution("bob"));
        FlowExecution copy = store.find(created.id()).orElseThrow();

        copy.moveTo(ExecutionStatus.RUNNING, Instant.now());
        FlowExecution first = store.save(copy);
        first.replaceState("{\"featureName\":\"y\"}", Instant.now());
        FlowExecution second = store.save(first);

        assertThat(first.version(), is(1L));
        assertThat(second.version(), is(2L));
        FlowExecution reread = store.find(created.id()).orElseThrow();
        assertThat(reread.version(), is(2L));
        assertThat(reread.status(), is(ExecutionStatus.RUNNING));
        assertThat(reread.state(), is("{\"featureName\":\"y\"}"));
    }

    @Test
    void staleCopyRaisesOptimisticLockAndChangesNothing() {
        FlowExecution created = store.insert(newExecution("carol"));
        FlowExecution writerA = store.find(created.id()).orElseThrow();
        FlowExecution writerB = store.find(created.id()).orElseThrow();

        writerA.moveTo(ExecutionStatus.RUNNING, Instant.now());
        store.save(writerA);
        writerB.moveTo(ExecutionStatus.CANCELLED, Instant.now());

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> store.save(writerB));

        assertThat("cause chain holds an OptimisticLockException: " + thrown,
                hasCause(thrown, OptimisticLockException.class), is(true));
        FlowExecution reread = store.find(created.id()).orElseThrow();
        assertThat(reread.status(), is(ExecutionStatus.RUNNING));
        assertThat(reread.version(), is(1L));
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
