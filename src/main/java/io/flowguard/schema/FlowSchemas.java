package io.flowguard.schema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.engine.graph.FlowRegistry;
import io.flowguard.engine.graph.StepDefinition;

/**
 * The published shapes of every registered flow version: the JSON Schema of its input, of each
 * asking step's answer and of its state, built once from the registry (which never changes
 * after startup) and served as they are to every request.
 */
public final class FlowSchemas {

    /** What an answer of {@code Object.class} takes: any JSON object (the engine refuses anything else). */
    private static final Map<String, Object> ANY_OBJECT = anyObject();

    private final Map<String, List<VersionSchemas>> byName;

    private FlowSchemas(Map<String, List<VersionSchemas>> byName) {
        this.byName = byName;
    }

    /**
     * @param registry the registered flows
     * @return the schemas of every version of every flow in it
     */
    public static FlowSchemas of(FlowRegistry registry) {
        TypeSchemas types = new TypeSchemas();
        Map<String, List<VersionSchemas>> byName = new LinkedHashMap<>();
        for (FlowDefinition newest : registry.flows()) {
            byName.put(newest.name(), registry.versions(newest.name()).stream().map(f -> of(f, types)).toList());
        }
        return new FlowSchemas(Collections.unmodifiableMap(byName));
    }

    private static VersionSchemas of(FlowDefinition flow, TypeSchemas types) {
        Map<String, Map<String, Object>> answers = new TreeMap<>();
        for (StepDefinition step : flow.steps().values()) {
            if (step.asks()) {
                answers.put(step.name(), step.answerType() == Object.class ? ANY_OBJECT : types.of(step.answerType()));
            }
        }
        return new VersionSchemas(flow.version(), types.of(flow.inputType()),
                Collections.unmodifiableMap(new LinkedHashMap<>(answers)), types.of(flow.stateType()));
    }

    private static Map<String, Object> anyObject() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("type", "object");
        return Collections.unmodifiableMap(schema);
    }

    /**
     * @param name a flow name from a request
     * @return the schemas of every registered version of it, oldest first; empty when none is
     */
    public List<VersionSchemas> versions(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /**
     * The shapes of one registered version, each a JSON Schema (Draft 2020-12) as maps, lists and
     * scalars.
     *
     * @param version the flow version
     * @param input   what a start's {@code input} must be (new executions start on the newest version)
     * @param answers by asking step: what an answer to that step's requests must be
     * @param state   what the steps store, as an execution's {@code state} shows it
     */
    public record VersionSchemas(int version, Map<String, Object> input, Map<String, Map<String, Object>> answers,
                                 Map<String, Object> state) {
    }
}
