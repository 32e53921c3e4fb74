package io.flowguard.engine.graph;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.AgentAsk;
import io.flowguard.flow.AsksAgent;
import io.flowguard.flow.Flow;
import io.flowguard.flow.Join;
import io.flowguard.flow.Listen;
import io.flowguard.flow.Retry;
import io.flowguard.flow.Router;
import io.flowguard.flow.Start;
import io.flowguard.flow.StepContext;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a {@link Flow} class into a {@link FlowDefinition}, refusing anything that could fail at
 * run time in a way startup can see: no start, duplicate or malformed steps, a listener on an
 * unknown step or label, a router label nobody listens to, an unreachable step, an unknown
 * agent role, a method signature the engine cannot call, or an input the first state cannot be
 * built from. Every message names flow and step.
 */
public final class FlowGraphBuilder {

    private static final Pattern FLOW_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");

    private FlowGraphBuilder() {
    }

    /**
     * @param type     the flow class (annotated {@link Flow})
     * @param instance the object whose step methods run
     * @param roles    the configured agent roles
     * @return the validated graph
     * @throws FlowDefinitionException naming flow and step when anything is wrong
     */
    public static FlowDefinition build(Class<?> type, Object instance, AgentRoles roles) {
        Flow flow = type.getAnnotation(Flow.class);
        if (flow == null) {
            throw new FlowDefinitionException(type.getSimpleName(), null, "is not annotated @Flow");
        }
        String name = flow.name();
        if (!FLOW_NAME.matcher(name).matches()) {
            throw new FlowDefinitionException(type.getSimpleName(), null,
                    "name must be lower-case letters, digits and dashes, at most 100 characters");
        }
        if (flow.version() < 1) {
            throw new FlowDefinitionException(name, null, "version must be 1 or more");
        }
        InitialState initialState = InitialState.of(name, flow.input(), flow.state());
        Map<String, StepDefinition> steps = steps(name, type, instance, flow.state(), roles);
        List<String> starts = steps.values().stream()
                .filter(s -> s.kind() == StepDefinition.Kind.START).map(StepDefinition::name).toList();
        if (starts.isEmpty()) {
            throw new FlowDefinitionException(name, null, "has no @Start step");
        }
        Map<String, List<String>> edges = edges(name, steps);
        checkReachable(name, steps, edges, starts);
        return new FlowDefinition(name, flow.version(), flow.state(), initialState, steps, starts, edges,
                services(name, flow), MigrationDeclarations.read(name, flow.version(), type, instance, flow.state(), steps));
    }

    private static Set<String> services(String flow, Flow annotation) {
        Set<String> services = new LinkedHashSet<>();
        for (String service : annotation.services()) {
            if (!SERVICE_NAME.matcher(service).matches()) {
                throw new FlowDefinitionException(flow, null, "service name '" + service
                        + "' must be lower-case letters, digits and dashes, starting with a letter, at most 63 characters");
            }
            if (!services.add(service)) {
                throw new FlowDefinitionException(flow, null, "names service '" + service + "' twice");
            }
        }
        return services;
    }

    private static Map<String, StepDefinition> steps(String flow, Class<?> type, Object instance, Class<?> stateType,
                                                     AgentRoles roles) {
        Map<String, StepDefinition> steps = new LinkedHashMap<>();
        Method[] methods = type.getDeclaredMethods();
        Arrays.sort(methods, (a, b) -> a.getName().compareTo(b.getName()));
        for (Method method : methods) {
            int kinds = count(method.isAnnotationPresent(Start.class), method.isAnnotationPresent(Listen.class),
                    method.isAnnotationPresent(Router.class));
            if (kinds == 0) {
                if (method.isAnnotationPresent(AsksAgent.class) || method.isAnnotationPresent(Retry.class)) {
                    throw new FlowDefinitionException(flow, method.getName(), "has step annotations but is not a step");
                }
                continue;
            }
            if (kinds > 1) {
                throw new FlowDefinitionException(flow, method.getName(), "must be only one of @Start, @Listen, @Router");
            }
            if (steps.containsKey(method.getName())) {
                throw new FlowDefinitionException(flow, method.getName(), "duplicate step name");
            }
            if (!LABEL.matcher(method.getName()).matches() || Modifier.isStatic(method.getModifiers())) {
                throw new FlowDefinitionException(flow, method.getName(), "must be an instance method with a plain name");
            }
            steps.put(method.getName(), step(flow, method, instance, stateType, roles));
        }
        return steps;
    }

    private static int count(boolean... flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    private static StepDefinition step(String flow, Method method, Object instance, Class<?> stateType, AgentRoles roles) {
        String name = method.getName();
        Set<String> askRoles = askRoles(flow, method, roles);
        StepInvoker.Returns returns = returns(flow, method, stateType, !askRoles.isEmpty());
        StepInvoker invoker = new StepInvoker(instance, method, args(flow, method, stateType), returns);
        AsksAgent asks = method.getAnnotation(AsksAgent.class);
        Class<?> answerType = asks == null ? Object.class : asks.answer();
        RetryPolicy retry;
        try {
            retry = RetryPolicy.of(method.getAnnotation(Retry.class));
        } catch (IllegalArgumentException e) {
            throw new FlowDefinitionException(flow, name, "@Retry " + e.getMessage());
        }
        if (method.isAnnotationPresent(Start.class)) {
            return new StepDefinition(name, StepDefinition.Kind.START, Set.of(), Join.ANY, null, Set.of(),
                    askRoles, answerType, retry, invoker);
        }
        if (method.isAnnotationPresent(Router.class)) {
            Router router = method.getAnnotation(Router.class);
            Set<String> labels = new LinkedHashSet<>(Arrays.asList(router.labels()));
            if (labels.isEmpty() || labels.size() != router.labels().length) {
                throw new FlowDefinitionException(flow, name, "a router declares one or more distinct labels");
            }
            labels.forEach(l -> requireLabel(flow, name, l));
            return new StepDefinition(name, StepDefinition.Kind.ROUTER, Set.of(), Join.ANY, router.after(),
                    Set.copyOf(labels), askRoles, answerType, retry, invoker);
        }
        Listen listen = method.getAnnotation(Listen.class);
        Set<String> triggers = new LinkedHashSet<>(Arrays.asList(listen.value()));
        if (triggers.isEmpty() || triggers.size() != listen.value().length) {
            throw new FlowDefinitionException(flow, name, "a listener names one or more distinct triggers");
        }
        return new StepDefinition(name, StepDefinition.Kind.LISTEN, Set.copyOf(triggers), listen.join(), null,
                Set.of(), askRoles, answerType, retry, invoker);
    }

    private static void requireLabel(String flow, String step, String label) {
        if (!LABEL.matcher(label).matches() || label.endsWith(FlowDefinition.TIMEOUT_SUFFIX)) {
            throw new FlowDefinitionException(flow, step, "malformed label '" + label + "'");
        }
    }

    private static Set<String> askRoles(String flow, Method method, AgentRoles roles) {
        AsksAgent asks = method.getAnnotation(AsksAgent.class);
        boolean returnsAsk = method.getReturnType() == AgentAsk.class;
        if (asks == null) {
            if (returnsAsk) {
                throw new FlowDefinitionException(flow, method.getName(), "returns AgentAsk but declares no @AsksAgent roles");
            }
            return Set.of();
        }
        if (!returnsAsk) {
            throw new FlowDefinitionException(flow, method.getName(), "@AsksAgent on a step that does not return AgentAsk");
        }
        if (asks.value().length == 0) {
            throw new FlowDefinitionException(flow, method.getName(), "@AsksAgent names no role");
        }
        for (String role : asks.value()) {
            if (!roles.contains(role)) {
                throw new FlowDefinitionException(flow, method.getName(), "asks unknown agent role '" + role
                        + "' (flowguard.agents: " + String.join(",", roles.all()) + ")");
            }
        }
        return Set.of(asks.value());
    }

    private static StepInvoker.Returns returns(String flow, Method method, Class<?> stateType, boolean asks) {
        Class<?> r = method.getReturnType();
        boolean router = method.isAnnotationPresent(Router.class);
        if (router) {
            if (r != String.class) {
                throw new FlowDefinitionException(flow, method.getName(), "a router returns its label as a String");
            }
            return StepInvoker.Returns.LABEL;
        }
        if (r == void.class) {
            return StepInvoker.Returns.NOTHING;
        }
        if (asks) {
            return StepInvoker.Returns.ASK;
        }
        if (r == stateType) {
            return StepInvoker.Returns.STATE;
        }
        throw new FlowDefinitionException(flow, method.getName(),
                "returns " + r.getSimpleName() + "; a step returns void, the state, or AgentAsk");
    }

    private static List<StepInvoker.Arg> args(String flow, Method method, Class<?> stateType) {
        List<StepInvoker.Arg> args = new ArrayList<>();
        for (Class<?> p : method.getParameterTypes()) {
            StepInvoker.Arg arg;
            if (p == stateType) {
                arg = StepInvoker.Arg.STATE;
            } else if (p == StepContext.class) {
                arg = StepInvoker.Arg.CONTEXT;
            } else if (p == AgentAnswer.class) {
                arg = StepInvoker.Arg.ANSWER;
            } else {
                throw new FlowDefinitionException(flow, method.getName(), "parameter " + p.getSimpleName()
                        + " is not the state, StepContext or AgentAnswer");
            }
            if (args.contains(arg)) {
                throw new FlowDefinitionException(flow, method.getName(), "takes " + p.getSimpleName() + " twice");
            }
            args.add(arg);
        }
        return args;
    }

    /** trigger → steps it may activate; also checks every trigger and label resolves. */
    private static Map<String, List<String>> edges(String flow, Map<String, StepDefinition> steps) {
        Set<String> labels = new HashSet<>();
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (StepDefinition step : steps.values()) {
            if (step.kind() != StepDefinition.Kind.ROUTER) {
                continue;
            }
            if (!steps.containsKey(step.after()) || step.after().equals(step.name())) {
                throw new FlowDefinitionException(flow, step.name(), "routes after unknown step '" + step.after() + "'");
            }
            for (String label : step.labels()) {
                if (steps.containsKey(label)) {
                    throw new FlowDefinitionException(flow, step.name(), "label '" + label + "' is also a step name");
                }
                labels.add(label);
            }
            edges.computeIfAbsent(step.after(), k -> new ArrayList<>()).add(step.name());
        }
        for (StepDefinition step : steps.values()) {
            if (step.kind() != StepDefinition.Kind.LISTEN) {
                continue;
            }
            for (String trigger : step.triggers()) {
                checkTrigger(flow, step, trigger, steps, labels);
                edges.computeIfAbsent(trigger, k -> new ArrayList<>()).add(step.name());
            }
            if (step.wantsAnswer() && step.triggers().stream().noneMatch(t -> steps.containsKey(t) && steps.get(t).asks())) {
                throw new FlowDefinitionException(flow, step.name(), "takes AgentAnswer but listens to no asking step");
            }
        }
        for (StepDefinition step : steps.values()) {
            if (step.wantsAnswer() && step.kind() != StepDefinition.Kind.LISTEN) {
                throw new FlowDefinitionException(flow, step.name(), "only a listener can take AgentAnswer");
            }
            for (String label : step.labels()) {
                if (!edges.containsKey(label)) {
                    throw new FlowDefinitionException(flow, step.name(), "label '" + label + "' has no listener");
                }
            }
        }
        return edges;
    }

    private static void checkTrigger(String flow, StepDefinition listener, String trigger,
                                     Map<String, StepDefinition> steps, Set<String> labels) {
        if (trigger.endsWith(FlowDefinition.TIMEOUT_SUFFIX)) {
            String asking = trigger.substring(0, trigger.length() - FlowDefinition.TIMEOUT_SUFFIX.length());
            if (!steps.containsKey(asking) || !steps.get(asking).asks()) {
                throw new FlowDefinitionException(flow, listener.name(), "listens to '" + trigger
                        + "' but '" + asking + "' is not a step that asks an agent");
            }
            return;
        }
        if (labels.contains(trigger)) {
            return;
        }
        StepDefinition target = steps.get(trigger);
        if (target == null) {
            throw new FlowDefinitionException(flow, listener.name(), "listens to unknown step or label '" + trigger + "'");
        }
        if (target.kind() == StepDefinition.Kind.ROUTER) {
            throw new FlowDefinitionException(flow, listener.name(), "listens to router '" + trigger
                    + "'; listen to its labels instead");
        }
        if (trigger.equals(listener.name())) {
            throw new FlowDefinitionException(flow, listener.name(), "listens to itself");
        }
    }

    private static void checkReachable(String flow, Map<String, StepDefinition> steps, Map<String, List<String>> edges,
                                       List<String> starts) {
        Set<String> fired = new HashSet<>();
        Set<String> reached = new LinkedHashSet<>(starts);
        Deque<String> work = new ArrayDeque<>(starts);
        while (!work.isEmpty()) {
            StepDefinition step = steps.get(work.pop());
            List<String> triggers = new ArrayList<>();
            if (step.kind() == StepDefinition.Kind.ROUTER) {
                triggers.addAll(step.labels());
            } else {
                triggers.add(step.name());
            }
            if (step.asks()) {
                triggers.add(step.name() + FlowDefinition.TIMEOUT_SUFFIX);
            }
            fired.addAll(triggers);
            for (String trigger : triggers) {
                for (String next : edges.getOrDefault(trigger, List.of())) {
                    StepDefinition candidate = steps.get(next);
                    boolean ready = candidate.join() != Join.ALL || fired.containsAll(candidate.triggers());
                    if (ready && reached.add(next)) {
                        work.push(next);
                    }
                }
            }
            // an all-of join may become ready only after later triggers: re-check pending ones
            for (StepDefinition candidate : steps.values()) {
                if (candidate.join() == Join.ALL && !reached.contains(candidate.name())
                        && fired.containsAll(candidate.triggers())) {
                    reached.add(candidate.name());
                    work.push(candidate.name());
                }
            }
        }
        for (String name : steps.keySet()) {
            if (!reached.contains(name)) {
                throw new FlowDefinitionException(flow, name, "is unreachable from the start steps");
            }
        }
    }
}
