package io.flowguard.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.flowguard.engine.ExecutionSnapshot;

/** The JSON shape of an execution in responses. */
final class ExecutionView {

    private ExecutionView() {
    }

    static Map<String, Object> of(ExecutionSnapshot e, ApiJson json) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", e.id().toString());
        view.put("flow", e.flow());
        view.put("flowVersion", e.flowVersion());
        view.put("owner", e.owner());
        view.put("status", e.status().name());
        view.put("state", json.readStored(e.state()));
        view.put("version", e.version());
        view.put("errorType", e.errorType());
        view.put("error", e.error());
        view.put("createdAt", String.valueOf(e.createdAt()));
        view.put("updatedAt", String.valueOf(e.updatedAt()));
        view.put("finishedAt", e.finishedAt() == null ? null : e.finishedAt().toString());
        return view;
    }
}
