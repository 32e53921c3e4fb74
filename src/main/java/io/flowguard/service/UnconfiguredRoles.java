package io.flowguard.service;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import io.flowguard.engine.graph.AgentRoles;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.logging.LogFields;

/**
 * The agent roles flows ask for ({@code @AsksAgent}) that {@code flowguard.agents} does not name.
 * The set of roles is closed: a flow cannot widen it, only the operator can, so the service
 * refuses to start rather than run a flow whose question nobody could be allowed to answer.
 * Checked for every enabled flow before any is registered, so one start names every missing
 * role at once, each on a JSON log line of its own with {@code flow}, {@code step} and
 * {@code role} as fields.
 */
final class UnconfiguredRoles {

    private static final Logger LOG = Logger.getLogger(UnconfiguredRoles.class.getName());

    /**
     * A role a step asks for that is not configured.
     *
     * @param flow the flow's name
     * @param step the step (its method's name)
     * @param role the role
     */
    record Ask(String flow, String step, String role) {
    }

    private UnconfiguredRoles() {
    }

    /**
     * @param flowClass a flow class
     * @param roles     the configured roles
     * @return the roles its steps ask for that are not configured, in step order
     */
    static List<Ask> of(Class<?> flowClass, AgentRoles roles) {
        String flow = flowClass.getAnnotation(Flow.class).name();
        List<Ask> missing = new ArrayList<>();
        Method[] methods = flowClass.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method method : methods) {
            AsksAgent asks = method.getAnnotation(AsksAgent.class);
            if (asks != null) {
                Arrays.stream(asks.value()).filter(role -> !roles.contains(role)).distinct()
                        .forEach(role -> missing.add(new Ask(flow, method.getName(), role)));
            }
        }
        return missing;
    }

    /**
     * Logs each unconfigured role as a {@code SEVERE} line and refuses startup.
     *
     * @param missing what {@link #of} found, not empty
     * @param roles   the configured roles
     * @throws IllegalStateException always, naming every flow, step and role
     */
    static void refuse(List<Ask> missing, AgentRoles roles) {
        List<String> configured = roles.all().stream().sorted().toList();
        for (Ask ask : missing) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("flow", ask.flow());
            fields.put("step", ask.step());
            fields.put("role", ask.role());
            fields.put("configured_roles", configured);
            LogFields.log(LOG, Level.SEVERE, describe(ask) + "; add it to flowguard.agents", fields);
        }
        throw new IllegalStateException(missing.stream().map(UnconfiguredRoles::describe)
                .collect(Collectors.joining("; ")) + " (flowguard.agents: " + String.join(",", configured) + ")");
    }

    private static String describe(Ask ask) {
        return "flow " + ask.flow() + ", step " + ask.step() + " asks agent role '" + ask.role()
                + "', which flowguard.agents does not name";
    }
}
