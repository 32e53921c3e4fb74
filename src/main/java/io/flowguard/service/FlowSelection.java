package io.flowguard.service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import io.flowguard.engine.graph.AgentRoles;
import io.flowguard.engine.graph.FlowDefinitionException;
import io.flowguard.flow.Flow;
import io.flowguard.logging.LogFields;
import org.eclipse.microprofile.config.Config;

/**
 * Which discovered flows this instance registers: those {@code flowguard.flows.enabled} names
 * (every one with {@code *}), each asking only the roles {@code flowguard.agents} configures. A
 * flow left out is named with its JAR in a warning; a name the setting gives that no JAR holds,
 * or a role that is not configured ({@link UnconfiguredRoles}), refuses startup. Decided once,
 * when CDI has validated the deployment and before any bean is made, so a refusal is one set of
 * lines and nothing (no database, no worker) has started.
 *
 * @param flows the flow classes to register, by name and version
 * @param roles the configured agent roles
 */
record FlowSelection(List<Class<?>> flows, AgentRoles roles) {

    private static final Logger LOG = Logger.getLogger(FlowSelection.class.getName());

    FlowSelection {
        flows = List.copyOf(flows);
    }

    /**
     * @param discovered every discovered flow class, with the name of the JAR it came from
     * @param config     the service's configuration
     * @return the flows to register and the roles
     * @throws RuntimeException naming the setting, flow, step or role when the service must not start
     */
    static FlowSelection select(Map<Class<?>, String> discovered, Config config) {
        AgentRoles roles = AgentRoles.of(config.getOptionalValue("flowguard.agents", String.class)
                .orElse(AgentRoles.DEFAULT));
        String enabled = config.getOptionalValue("flowguard.flows.enabled", String.class).orElse("*");
        Set<String> wanted = Arrays.stream(enabled.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        boolean all = wanted.isEmpty() || wanted.contains("*");
        Set<String> found = new HashSet<>();
        List<Class<?>> selected = new ArrayList<>();
        Map<String, List<String>> leftOut = new LinkedHashMap<>();
        List<UnconfiguredRoles.Ask> unconfigured = new ArrayList<>();
        for (Map.Entry<Class<?>, String> flow : discovered.entrySet()) {
            Class<?> type = flow.getKey();
            String name = type.getAnnotation(Flow.class).name();
            if (!all && !wanted.contains(name)) {
                leftOut.computeIfAbsent(flow.getValue(), k -> new ArrayList<>()).add(named(type));
                continue;
            }
            found.add(name);
            selected.add(type);
            unconfigured.addAll(UnconfiguredRoles.of(type, roles));
        }
        if (!all) {
            for (String name : wanted) {
                if (!found.contains(name)) {
                    throw new FlowDefinitionException(name, null, "is named in flowguard.flows.enabled but not registered");
                }
            }
        }
        leftOut.forEach((archive, flows) -> LogFields.log(LOG, Level.WARNING, archive
                + " holds flows that are not registered: flowguard.flows.enabled does not name them ("
                + String.join(", ", flows) + ")", "jar", archive, "flows", flows,
                "reason", "not in flowguard.flows.enabled"));
        if (!unconfigured.isEmpty()) {
            UnconfiguredRoles.refuse(unconfigured, roles);
        }
        selected.sort(java.util.Comparator.comparing((Class<?> type) -> type.getAnnotation(Flow.class).name())
                .thenComparingInt(type -> type.getAnnotation(Flow.class).version()));
        return new FlowSelection(selected, roles);
    }

    /**
     * @param type a flow class
     * @return {@code name vN}, as the registry names a flow
     */
    static String named(Class<?> type) {
        Flow flow = type.getAnnotation(Flow.class);
        return flow.name() + " v" + flow.version();
    }
}
