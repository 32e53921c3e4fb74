package io.flowguard.engine.graph;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Listen;
import io.flowguard.flow.MigratesFrom;
import io.flowguard.flow.Retry;
import io.flowguard.flow.Router;
import io.flowguard.flow.Start;
import io.flowguard.flow.StepContext;
import io.flowguard.flow.StepMapping;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the {@link MigratesFrom} methods of a flow class at startup, refusing what could only fail
 * later: a version that is not older, one declared twice, a method that is also a step, does not
 * take exactly the old state or does not return the flow's state type, and a mapping whose old
 * name is malformed or named twice, whose target is not a step of this version, or that sends two
 * old steps to one new step. What needs the old version's graph is checked by
 * {@link MigrationChecks} once every version is registered.
 */
final class MigrationDeclarations {

    private static final Pattern STEP_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");

    private MigrationDeclarations() {
    }

    /**
     * @param flow      the flow's name
     * @param version   its version
     * @param type      the flow class
     * @param instance  the object the migration methods run on
     * @param stateType the flow's state type
     * @param steps     its validated steps
     * @return the migrations it declares, by the version they move from
     * @throws FlowDefinitionException naming the flow and the method when one is wrong
     */
    static Map<Integer, MigrationDefinition> read(String flow, int version, Class<?> type, Object instance,
                                                  Class<?> stateType, Map<String, StepDefinition> steps) {
        Map<Integer, MigrationDefinition> migrations = new TreeMap<>();
        Method[] methods = type.getDeclaredMethods();
        Arrays.sort(methods, (a, b) -> a.getName().compareTo(b.getName()));
        for (Method method : methods) {
            MigratesFrom declared = method.getAnnotation(MigratesFrom.class);
            if (declared == null) {
                continue;
            }
            String where = "migration " + method.getName();
            if (method.isAnnotationPresent(Start.class) || method.isAnnotationPresent(Listen.class)
                    || method.isAnnotationPresent(Router.class) || method.isAnnotationPresent(AsksAgent.class)
                    || method.isAnnotationPresent(Retry.class)) {
                throw new FlowDefinitionException(flow, null, where + " is also annotated as a step; a migration is not a step");
            }
            if (declared.version() < 1 || declared.version() >= version) {
                throw new FlowDefinitionException(flow, null, where + " migrates from version " + declared.version()
                        + ", which is not an older version than this one (" + version + ")");
            }
            if (migrations.containsKey(declared.version())) {
                throw new FlowDefinitionException(flow, null, where + ": a migration from version "
                        + declared.version() + " is declared twice");
            }
            checkSignature(flow, where, method, stateType);
            migrations.put(declared.version(), new MigrationDefinition(declared.version(), version,
                    mapping(flow, where, declared.steps(), steps), instance, method));
        }
        return migrations;
    }

    private static void checkSignature(String flow, String where, Method method, Class<?> stateType) {
        Class<?>[] params = method.getParameterTypes();
        if (params.length != 1 || params[0].isPrimitive() || params[0] == AgentAnswer.class
                || params[0] == StepContext.class) {
            throw new FlowDefinitionException(flow, null, where + " must take exactly one parameter: the old "
                    + "version's state, as its stored JSON reads");
        }
        if (method.getReturnType() != stateType) {
            throw new FlowDefinitionException(flow, null, where + " returns " + method.getReturnType().getSimpleName()
                    + "; a migration returns the flow's state type " + stateType.getSimpleName());
        }
    }

    private static Map<String, String> mapping(String flow, String where, StepMapping[] declared,
                                               Map<String, StepDefinition> steps) {
        Map<String, String> renamed = new LinkedHashMap<>();
        Set<String> targets = new HashSet<>();
        for (StepMapping m : declared) {
            if (!STEP_NAME.matcher(m.from()).matches() || m.from().endsWith(FlowDefinition.TIMEOUT_SUFFIX)) {
                throw new FlowDefinitionException(flow, null, where + " maps a malformed step name '" + m.from() + "'");
            }
            if (renamed.containsKey(m.from())) {
                throw new FlowDefinitionException(flow, null, where + " maps old step '" + m.from() + "' twice");
            }
            if (m.from().equals(m.to())) {
                throw new FlowDefinitionException(flow, null, where + " maps step '" + m.from()
                        + "' to itself; a step keeps its name without a mapping");
            }
            if (!steps.containsKey(m.to())) {
                throw new FlowDefinitionException(flow, null, where + " maps old step '" + m.from() + "' to '" + m.to()
                        + "', which is not a step of this version");
            }
            if (!targets.add(m.to())) {
                throw new FlowDefinitionException(flow, null, where + " maps two old steps to '" + m.to() + "'");
            }
            renamed.put(m.from(), m.to());
        }
        return renamed;
    }
}
