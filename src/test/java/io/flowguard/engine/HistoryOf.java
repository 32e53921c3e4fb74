package io.flowguard.engine;

import java.util.List;
import java.util.UUID;

/** An execution's history read through the engine's facade, for assertions. */
final class HistoryOf {

    private HistoryOf() {
    }

    /**
     * @param engine any engine on the database
     * @param id     the execution
     * @param type   an {@link io.flowguard.store.EventType} name
     * @return its events of that type, oldest first
     */
    static List<EventSnapshot> events(Engine engine, UUID id, String type) {
        return engine.history(id, 0, 1000).stream().filter(v -> v.type().equals(type)).toList();
    }

    /**
     * @param engine any engine on the database
     * @param id     the execution
     * @param step   a step name
     * @return the types of that step's events, oldest first
     */
    static List<String> ofStep(Engine engine, UUID id, String step) {
        return engine.history(id, 0, 1000).stream().filter(v -> step.equals(v.step())).map(EventSnapshot::type)
                .toList();
    }
}
