package io.flowguard.engine.graph;

import io.flowguard.flow.AgentAnswer;
import io.flowguard.flow.StepContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Calls one step method with the arguments its signature asked for. The {@link Method} was found
 * at startup on a registered flow class; nothing here resolves a name at run time.
 */
public final class StepInvoker {

    /** The kinds of argument a step method may declare. */
    enum Arg { STATE, CONTEXT, ANSWER }

    /** How the step's return value is read. */
    enum Returns { NOTHING, STATE, ASK, LABEL }

    private final Object flow;
    private final Method method;
    private final List<Arg> args;
    private final Returns returns;

    StepInvoker(Object flow, Method method, List<Arg> args, Returns returns) {
        this.flow = flow;
        this.method = method;
        this.args = List.copyOf(args);
        this.returns = returns;
        method.setAccessible(true);
    }

    Returns returns() {
        return returns;
    }

    boolean wantsAnswer() {
        return args.contains(Arg.ANSWER);
    }

    /**
     * Runs the step.
     *
     * @throws Exception whatever the step threw
     */
    Object invoke(Object state, StepContext context, AgentAnswer answer) throws Exception {
        Object[] values = new Object[args.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (args.get(i)) {
                case STATE -> state;
                case CONTEXT -> context;
                case ANSWER -> answer;
            };
        }
        try {
            return method.invoke(flow, values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
