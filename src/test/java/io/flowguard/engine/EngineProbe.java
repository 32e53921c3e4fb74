package io.flowguard.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.flowguard.engine.EventSnapshot;
import io.flowguard.store.ExecutionStatus;
import io.flowguard.engine.ExecutionSnapshot;
import io.flowguard.testing.Await;

/** Small helpers over the engine's public API for tests. */
public final class EngineProbe {

    public static final Duration WAIT = Duration.ofSeconds(30);

    private EngineProbe() {
    }

    public static ExecutionSnapshot awaitStatus(Engine engine, UUID id, ExecutionStatus status) {
        Await.until("execution " + id + " to be " + status, WAIT,
                () -> engine.get(id).map(e -> e.status() == status).orElse(false));
        return engine.get(id).orElseThrow();
    }

    public static ExecutionSnapshot awaitFinished(Engine engine, UUID id) {
        Await.until("execution " + id + " to finish", WAIT,
                () -> engine.get(id).map(e -> e.status().isTerminal()).orElse(false));
        return engine.get(id).orElseThrow();
    }

    public static List<String> types(Engine engine, UUID id) {
        return engine.history(id, 0, 1000).stream().map(EventSnapshot::type).toList();
    }

    public static Map<String, Long> completions(Engine engine, UUID id) {
        return engine.history(id, 0, 1000).stream().filter(v -> v.type().equals("STEP_COMPLETED"))
                .collect(Collectors.groupingBy(EventSnapshot::step, Collectors.counting()));
    }

    public static <T> List<T> map(List<EventSnapshot> events, Function<EventSnapshot, T> f) {
        return events.stream().map(f).toList();
    }
}
