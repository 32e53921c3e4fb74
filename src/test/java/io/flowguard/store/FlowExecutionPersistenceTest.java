package io.flowguard.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * An execution round-trips through JPA (Hibernate, resource-local, bootstrapped by the store) on the
 * run's database, its {@code @Version} counts every committed change, and a stale copy cannot
 * overwrite a newer row.
 */
@HelidonTest
class FlowExecutionPersistenceTest {

    @Inject
    Store store;

    private StoreRows rows() {
        return new StoreRows(store);
    }

    private static FlowExecution newExecution(String owner) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        FlowExecution e = new FlowExecution(UUID.randomUUID(), "feature-approval", 1, owner,
                "{\"featureName\":\"x\"}", "{}", now);
        e.scheduleAt(null); // not due: these rows exercise persistence only, no worker may claim them
        return e;
    }

    @Test
    void executionRoundTripsWithEveryField() {
        FlowExecution created = rows().insert(newExecution("alice"));

        FlowExecution read = rows().find(created.id());

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
        FlowExecution created = rows().insert(newExecution("bob"));
        FlowExecution copy = rows().find(created.id());

        long first = rows().save(copy, e -> e.moveTo(ExecutionStatus.RUNNING, Instant.now())).version();
        long second = rows().save(copy, e -> e.replaceState("{\"featureName\":\"y\"}", Instant.now())).version();

        assertThat(first, is(1L));
        assertThat(second, is(2L));
        FlowExecution reread = rows().find(created.id());
        assertThat(reread.version(), is(2L));
        assertThat(reread.status(), is(ExecutionStatus.RUNNING));
        assertThat(reread.state(), is("{\"featureName\":\"y\"}"));
    }

    @Test
    void staleCopyRaisesOptimisticLockAndChangesNothing() {
        FlowExecution created = rows().insert(newExecution("carol"));
        FlowExecution writerA = rows().find(created.id());
        FlowExecution writerB = rows().find(created.id());

        rows().save(writerA, e -> e.moveTo(ExecutionStatus.RUNNING, Instant.now()));
        ExecutionWrite stale = new ExecutionWrite(writerB);
        writerB.moveTo(ExecutionStatus.CANCELLED, Instant.now());

        boolean written = store.transaction(tx -> tx.commitIfUnchanged(stale));

        assertThat("a copy of version 0 is not written over version 1", written, is(false));
        FlowExecution reread = rows().find(created.id());
        assertThat(reread.status(), is(ExecutionStatus.RUNNING));
        assertThat(reread.version(), is(1L));
    }
}
