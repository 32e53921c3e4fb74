package io.flowguard.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.flowguard.store.StoreFixture.NOW;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Idempotency keys: scoped to their owner (the same key of two owners are two keys), one per owner
 * and key (a second insert is refused when the start's transaction flushes or commits, and the
 * whole start with it, also when two starts race), and removed by {@link
 * StoreTransaction#removeExpiredKey} only once expired, and only the owner's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyContractTest {

    private static final Instant EXPIRES = NOW.plusSeconds(3600);

    private final StoreFixture fx = new StoreFixture();

    @AfterAll
    void close() {
        fx.close();
    }

    @Test
    void theSameKeyOfTwoOwnersIsTwoKeys() {
        String alice = owner();
        String bob = owner();
        UUID hers = start(alice, "order-1", "hash-a");
        UUID his = start(bob, "order-1", "hash-b");

        IdempotencyKey aliceKey = fx.tx(tx -> tx.idempotencyKey(alice, "order-1"));
        IdempotencyKey bobKey = fx.tx(tx -> tx.idempotencyKey(bob, "order-1"));
        assertThat(aliceKey.executionId(), is(hers));
        assertThat(aliceKey.requestHash(), is("hash-a"));
        assertThat(bobKey.executionId(), is(his));
        assertThat(bobKey.requestHash(), is("hash-b"));
        assertThat("a third owner does not see the others' key",
                fx.tx(tx -> tx.idempotencyKey(owner(), "order-1")), is(nullValue()));
        assertThat("nor the owner another key", fx.tx(tx -> tx.idempotencyKey(alice, "order-2")), is(nullValue()));
    }

    @Test
    void aSecondStartWithTheSameOwnerAndKeyIsRefusedWhole() {
        String owner = owner();
        UUID first = start(owner, "order-1", "hash");
        UUID second = UUID.randomUUID();

        assertThrows(RuntimeException.class, () -> start(owner, "order-1", "hash", second));

        assertThat(fx.tx(tx -> tx.idempotencyKey(owner, "order-1")).executionId(), is(first));
        assertThat("the refused start's execution was rolled back with it", fx.read(second), is(nullValue()));
    }

    @Test
    void ofTwoRacingStartsWithTheSameKeyExactlyOneCommits() throws Exception {
        String owner = owner();
        UUID one = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        List<Callable<?>> starts = List.of(() -> start(owner, "race", "hash", one), () -> start(owner, "race", "hash", other));

        List<Object> results = StoreFixture.race(starts);

        long refused = results.stream().filter(RuntimeException.class::isInstance).count();
        assertThat(results.toString(), refused, is(1L));
        UUID winner = results.get(0) instanceof UUID ? one : other;
        UUID loser = winner == one ? other : one;
        assertThat(fx.tx(tx -> tx.idempotencyKey(owner, "race")).executionId(), is(winner));
        assertThat(fx.read(winner), is(not(nullValue())));
        assertThat(fx.read(loser), is(nullValue()));
    }

    @Test
    void aKeyIsRemovedOnlyOnceExpiredAndOnlyTheOwners() {
        String owner = owner();
        String other = owner();
        start(owner, "order-1", "hash");
        UUID others = start(other, "order-1", "hash");

        fx.tx(tx -> {
            tx.removeExpiredKey(owner, "order-1", EXPIRES.minusMillis(1));
            return null;
        });
        assertThat("not yet expired", fx.tx(tx -> tx.idempotencyKey(owner, "order-1")), is(not(nullValue())));

        fx.tx(tx -> {
            tx.removeExpiredKey(owner, "order-1", EXPIRES);
            return null;
        });
        assertThat("expired at its expiry", fx.tx(tx -> tx.idempotencyKey(owner, "order-1")), is(nullValue()));
        assertThat("the other owner's key of the same name stays",
                fx.tx(tx -> tx.idempotencyKey(other, "order-1")).executionId(), is(others));
    }

    @Test
    void anExpiredKeyRemovedIsUsableAgainInTheSameTransaction() {
        String owner = owner();
        start(owner, "order-1", "old");
        UUID again = UUID.randomUUID();

        Object result = fx.tx(tx -> {
            tx.removeExpiredKey(owner, "order-1", EXPIRES);
            return start(tx, owner, "order-1", "new", again, EXPIRES);
        });

        assertThat(result, is(instanceOf(UUID.class)));
        IdempotencyKey key = fx.tx(tx -> tx.idempotencyKey(owner, "order-1"));
        assertThat(key.executionId(), is(again));
        assertThat(key.requestHash(), is("new"));
    }

    private UUID start(String owner, String key, String hash) {
        return start(owner, key, hash, UUID.randomUUID());
    }

    /** A start at {@link StoreFixture#NOW} as the engine runs it: the execution, then its key, in one transaction. */
    private UUID start(String owner, String key, String hash, UUID id) {
        return fx.tx(tx -> start(tx, owner, key, hash, id, NOW));
    }

    /** The key expires an hour after {@code now}. */
    private static UUID start(StoreTransaction tx, String owner, String key, String hash, UUID id, Instant now) {
        FlowExecution row = new FlowExecution(id, "contract", 1, owner, "{}", "{}", now);
        row.scheduleAt(null); // nobody claims these
        ExecutionWrite write = new ExecutionWrite(row);
        write.append(EventType.CREATED, null, owner, "contract v1", now);
        tx.insert(write);
        tx.insertKey(new IdempotencyKey(owner, key, hash, id, now, now.plusSeconds(3600)));
        return id;
    }

    private static String owner() {
        return "idem-" + UUID.randomUUID();
    }
}
