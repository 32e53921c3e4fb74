package io.flowguard.engine.graph;


import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The whitelist: every flow that can run, by registered name and version, in immutable maps
 * built once at startup. A name read from the database or a request is only ever looked up
 * here; there is no other way from a string to code (no {@code Class.forName}, no method lookup
 * by name, no polymorphic deserialization).
 */
public final class FlowRegistry {

    private final Map<String, TreeMap<Integer, FlowDefinition>> byName;
    private final AgentRoles roles;

    /**
     * @param definitions validated flows
     * @param roles       the configured agent roles
     * @throws FlowDefinitionException when two classes register the same name and version
     */
    public FlowRegistry(Collection<FlowDefinition> definitions, AgentRoles roles) {
        Map<String, TreeMap<Integer, FlowDefinition>> map = new LinkedHashMap<>();
        for (FlowDefinition d : definitions) {
            TreeMap<Integer, FlowDefinition> versions = map.computeIfAbsent(d.name(), k -> new TreeMap<>());
            if (versions.put(d.version(), d) != null) {
                throw new FlowDefinitionException(d.name(), null, "version " + d.version() + " is registered twice");
            }
        }
        map.replaceAll((k, v) -> new TreeMap<>(Collections.unmodifiableSortedMap(v)));
        MigrationChecks.check(map);
        this.byName = Collections.unmodifiableMap(map);
        this.roles = roles;
    }

    /**
     * @param name    a flow name from the database
     * @param version its version
     * @return the flow, when registered
     */
    public Optional<FlowDefinition> find(String name, int version) {
        TreeMap<Integer, FlowDefinition> versions = byName.get(name);
        return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
    }

    /**
     * @param name a flow name from a request
     * @return the newest registered version, which new executions start on
     */
    public Optional<FlowDefinition> latest(String name) {
        TreeMap<Integer, FlowDefinition> versions = byName.get(name);
        return versions == null ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
    }

    /**
     * @param name a flow name from a request
     * @return every registered version of it, oldest first; empty when none is
     */
    public List<FlowDefinition> versions(String name) {
        TreeMap<Integer, FlowDefinition> versions = byName.get(name);
        return versions == null ? List.of() : List.copyOf(versions.values());
    }

    /** @return the newest version of every registered flow, by name */
    public Collection<FlowDefinition> flows() {
        return byName.values().stream().map(v -> v.lastEntry().getValue()).toList();
    }

    /** @return the configured agent roles */
    public AgentRoles roles() {
        return roles;
    }
}
