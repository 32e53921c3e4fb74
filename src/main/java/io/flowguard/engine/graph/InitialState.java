package io.flowguard.engine.graph;

import io.flowguard.flow.Flow;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/**
 * Builds an execution's first state from a caller's input, the way its {@link Flow} declares:
 * through the state type's public constructor taking the input record, or the input itself when
 * the state is that record. The constructor is found once, at startup, on the two types the
 * annotation names; nothing here resolves a name read from a request or the database.
 *
 * <p>Security: this is what keeps a start from setting state a step writes (mass assignment).
 * The caller's JSON is read into the input record alone, so a field it does not declare is
 * refused, and only the flow author's constructor decides what of it reaches the state.
 */
final class InitialState {

    private final Class<? extends Record> inputType;
    private final Constructor<?> constructor;

    private InitialState(Class<? extends Record> inputType, Constructor<?> constructor) {
        this.inputType = inputType;
        this.constructor = constructor;
    }

    /**
     * @param flow      the flow's name (for the message)
     * @param inputType what {@link Flow#input()} names
     * @param stateType what {@link Flow#state()} names
     * @return how the flow's first state is built
     * @throws FlowDefinitionException naming the flow when the state cannot be built from the input
     */
    static InitialState of(String flow, Class<? extends Record> inputType, Class<?> stateType) {
        if (inputType == null || !inputType.isRecord()) {
            throw new FlowDefinitionException(flow, null, "input must be a record of the fields a caller may set");
        }
        if (inputType == stateType) {
            return new InitialState(inputType, null);
        }
        Constructor<?> constructor;
        try {
            constructor = stateType.getConstructor(inputType);
        } catch (NoSuchMethodException e) {
            throw new FlowDefinitionException(flow, null, "state type " + stateType.getSimpleName()
                    + " has no public constructor " + stateType.getSimpleName() + "(" + inputType.getSimpleName()
                    + "): the first state is built from the input with it (or make the input the state)");
        }
        if (Modifier.isAbstract(stateType.getModifiers())) {
            throw new FlowDefinitionException(flow, null, "state type " + stateType.getSimpleName() + " is abstract");
        }
        constructor.setAccessible(true);
        return new InitialState(inputType, constructor);
    }

    Class<? extends Record> inputType() {
        return inputType;
    }

    /**
     * @param input a caller's input, read and validated as {@link #inputType()}
     * @return the first state
     * @throws RuntimeException whatever the flow's constructor threw (a defect of the flow)
     */
    Object from(Object input) {
        if (!inputType.isInstance(input)) {
            throw new IllegalArgumentException("input is not a " + inputType.getSimpleName());
        }
        if (constructor == null) {
            return input;
        }
        try {
            return constructor.newInstance(input);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("the state constructor failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the state constructor cannot be called", e);
        }
    }
}
