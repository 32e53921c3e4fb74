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
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * Answer-once and deadline-once: an agent request leaves {@code PENDING} exactly once, by an
 * answer strictly before its deadline ({@link StoreTransaction#answerOnce}) or by the deadline
 * sweep at or after it ({@link StoreTransaction#expireOnce}); a cancelled request takes neither.
 * Racing, exactly one of them wins.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnswerOnceContractTest {

    private static final Instant DEADLINE = NOW.plusSeconds(60);
    private static final int RACES = 20;

    private final StoreFixture fx = new StoreFixture();

    @AfterAll
    void close() {
        fx.close();
    }

    @Test
    void aRequestIsAnsweredOnce() {
        UUID id = pending();

        assertThat(answer(id, "alice", DEADLINE.minusMillis(1)), is(true));
        assertThat("a second answer", answer(id, "bob", DEADLINE.minusMillis(1)), is(false));

        AgentRequest answered = fx.request(id);
        assertThat(answered.status(), is(AgentRequest.Status.ANSWERED));
        assertThat(answered.answeredBy(), is("alice"));
        assertThat(answered.answer(), is("{\"by\":\"alice\"}"));
        assertThat(answered.answeredAt(), is(DEADLINE.minusMillis(1)));
        assertThat(answered.version(), is(1L));
    }

    @Test
    void anAnswerAtOrAfterTheDeadlineIsRefused() {
        UUID atDeadline = pending();
        UUID afterDeadline = pending();

        assertThat(answer(atDeadline, "alice", DEADLINE), is(false));
        assertThat(answer(afterDeadline, "alice", DEADLINE.plusMillis(1)), is(false));

        for (UUID id : List.of(atDeadline, afterDeadline)) {
            assertUntouched(id);
        }
    }

    @Test
    void aCancelledOrTimedOutRequestTakesNoAnswer() {
        UUID cancelled = pending();
        cancelExecutionOf(cancelled);
        UUID timedOut = pending();
        assertThat(expire(timedOut, DEADLINE), is(true));

        assertThat(answer(cancelled, "alice", DEADLINE.minusMillis(1)), is(false));
        assertThat("an answerer whose clock is behind the sweeper's", answer(timedOut, "alice",
                DEADLINE.minusMillis(1)), is(false));

        assertThat(fx.request(cancelled).status(), is(AgentRequest.Status.CANCELLED));
        assertThat(fx.request(cancelled).answer(), is(nullValue()));
        assertThat(fx.request(timedOut).status(), is(AgentRequest.Status.TIMED_OUT));
        assertThat(fx.request(timedOut).answer(), is(nullValue()));
    }

    @Test
    void aRequestExpiresOnceAndOnlyWhenDueAndPending() {
        UUID id = pending();
        UUID answered = pending();
        assertThat(answer(answered, "alice", DEADLINE.minusMillis(1)), is(true));
        UUID cancelled = pending();
        cancelExecutionOf(cancelled);

        assertThat("not due just before its deadline", expire(id, DEADLINE.minusMillis(1)), is(false));
        assertUntouched(id);
        assertThat("due at its deadline", expire(id, DEADLINE), is(true));
        assertThat(fx.request(id).status(), is(AgentRequest.Status.TIMED_OUT));
        assertThat(fx.request(id).version(), is(1L));
        assertThat("once", expire(id, DEADLINE.plusSeconds(1)), is(false));
        assertThat(fx.request(id).version(), is(1L));

        assertThat(expire(answered, DEADLINE.plusSeconds(1)), is(false));
        assertThat(fx.request(answered).status(), is(AgentRequest.Status.ANSWERED));
        assertThat(expire(cancelled, DEADLINE.plusSeconds(1)), is(false));
        assertThat(fx.request(cancelled).status(), is(AgentRequest.Status.CANCELLED));
    }

    @Test
    void anAnswerRacingTheDeadlineSweepHasExactlyOneWinner() throws Exception {
        for (int race = 0; race < RACES; race++) {
            UUID id = pending();
            // the answerer read its clock just before the deadline, the sweeper just after
            List<Object> won = StoreFixture.race(List.<Callable<?>>of(
                    () -> answer(id, "alice", DEADLINE.minusMillis(1)), () -> expire(id, DEADLINE)));

            assertThat("race " + race, won, containsInAnyOrder(true, false));
            AgentRequest after = fx.request(id);
            assertThat(after.status(), is(won.get(0) == Boolean.TRUE
                    ? AgentRequest.Status.ANSWERED : AgentRequest.Status.TIMED_OUT));
            assertThat(after.version(), is(1L));
        }
    }

    @Test
    void ofTwoRacingAnswersExactlyOneIsRecorded() throws Exception {
        for (int race = 0; race < RACES; race++) {
            UUID id = pending();
            List<Object> won = StoreFixture.race(List.<Callable<?>>of(
                    () -> answer(id, "alice", DEADLINE.minusMillis(1)), () -> answer(id, "bob", DEADLINE.minusMillis(1))));

            assertThat("race " + race, won, containsInAnyOrder(true, false));
            AgentRequest after = fx.request(id);
            assertThat(after.answeredBy(), is(won.get(0) == Boolean.TRUE ? "alice" : "bob"));
            assertThat(after.version(), is(1L));
        }
    }

    private UUID pending() {
        return fx.insertWaiting("answers-" + UUID.randomUUID(), DEADLINE).id();
    }

    private boolean answer(UUID id, String subject, Instant now) {
        return fx.tx(tx -> tx.answerOnce(id, "{\"by\":\"" + subject + "\"}", subject, now));
    }

    private boolean expire(UUID id, Instant now) {
        return fx.tx(tx -> tx.expireOnce(id, now));
    }

    /** The owner cancels the execution: its open requests are closed with it. */
    private void cancelExecutionOf(UUID requestId) {
        FlowExecution copy = fx.read(fx.request(requestId).executionId());
        ExecutionWrite write = new ExecutionWrite(copy);
        copy.moveTo(ExecutionStatus.CANCELLED, NOW);
        write.append(EventType.CANCELLED, null, "owner", null, NOW);
        write.closeOpenRequests();
        assertThat(fx.tx(tx -> tx.commitIfUnchanged(write)), is(true));
    }

    private void assertUntouched(UUID id) {
        AgentRequest request = fx.request(id);
        assertThat(request.status(), is(AgentRequest.Status.PENDING));
        assertThat(request.answer(), is(nullValue()));
        assertThat(request.answeredBy(), is(nullValue()));
        assertThat(request.version(), is(0L));
    }
}
