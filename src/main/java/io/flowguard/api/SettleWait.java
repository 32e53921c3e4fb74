package io.flowguard.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.flowguard.engine.Engine;
import io.flowguard.engine.ExecutionSnapshot;
import io.flowguard.engine.RequestSnapshot;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.watch.ChangeSignals;
import io.flowguard.watch.LongPoll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A start or an answer sent with {@code Prefer: wait=N}: the response waits until the execution
 * has gone as far as it goes on its own — it waits for an agent, or it finished — or N seconds
 * passed, and then says where it stands and which requests it waits on. A client runs a whole
 * approval in two requests instead of polling its inbox and the execution in between.
 */
@ApplicationScoped
public class SettleWait {

    @Inject
    Engine engine;
    @Inject
    LongPoll longPoll;

    /**
     * Where the execution stands after the wait.
     *
     * @param execution the execution as last read
     * @param waiting   its pending requests among the roles asked for (empty unless it waits for an agent)
     * @param applied   the wait honoured, for {@code Preference-Applied}
     */
    record Settled(ExecutionSnapshot execution, List<Map<String, Object>> waiting, Duration applied) {
    }

    /**
     * @param prefer    the request's {@code Prefer} headers
     * @param committed the execution as the start or answer committed it
     * @param roles     whose pending requests to list (the owner: every role; an agent: its own)
     * @return where it stands, or empty when no wait was asked for
     */
    Optional<Settled> await(List<String> prefer, ExecutionSnapshot committed, Set<String> roles) {
        Optional<Duration> wait = WaitPreference.of(prefer, longPoll.maxWait());
        if (wait.isEmpty()) {
            return Optional.empty();
        }
        ExecutionSnapshot now = committed;
        if (moving(committed.status())) {
            LongPoll.Outcome<ExecutionSnapshot> outcome = longPoll.await(wait.get(),
                    List.of(ChangeSignals.execution(committed.id())),
                    () -> engine.get(committed.id()).orElse(committed), read -> !moving(read.status()));
            now = outcome.value();
            if (moving(now.status()) && !outcome.waited()) {
                return Optional.empty(); // the bound of waiting requests was reached: answered as without Prefer
            }
        }
        List<Map<String, Object>> waiting = now.status() == ExecutionStatus.WAITING_AGENT
                ? engine.inbox(roles, now.id(), 50).stream().map(SettleWait::view).toList()
                : List.of();
        return Optional.of(new Settled(now, waiting, wait.get()));
    }

    /** PENDING or RUNNING: steps are due or running, with no outside help needed. */
    private static boolean moving(ExecutionStatus status) {
        return status == ExecutionStatus.PENDING || status == ExecutionStatus.RUNNING;
    }

    private static Map<String, Object> view(RequestSnapshot r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id().toString());
        m.put("role", r.role());
        m.put("step", r.step());
        m.put("deadline", r.deadline().toString());
        return m;
    }
}
