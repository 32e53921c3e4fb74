package io.flowguard.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.flowguard.engine.EventSnapshot;

/** One history event as the API shows it (in the events list and on the live stream). */
final class EventView {

    private EventView() {
    }

    static Map<String, Object> of(EventSnapshot v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", v.seq());
        m.put("type", v.type());
        m.put("step", v.step());
        m.put("actor", v.actor());
        m.put("detail", v.detail());
        m.put("at", String.valueOf(v.at()));
        return m;
    }
}
