package io.flowguard.engine.graph;

import io.flowguard.flow.MigratesFrom;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;

/**
 * A validated {@link MigratesFrom} of a registered flow version: which older version's executions
 * it moves here, how their step names map, the shape their stored state is read into and the
 * method that turns it into this version's state. The {@link Method} was found at startup on the
 * registered flow class; nothing here resolves a name read from the database.
 */
public final class MigrationDefinition {

    private final int fromVersion;
    private final int toVersion;
    private final Map<String, String> renamed;
    private final Class<?> oldStateType;
    private final Object flow;
    private final Method method;

    MigrationDefinition(int fromVersion, int toVersion, Map<String, String> renamed, Object flow, Method method) {
        this.fromVersion = fromVersion;
        this.toVersion = toVersion;
        this.renamed = Map.copyOf(renamed);
        this.oldStateType = method.getParameterTypes()[0];
        this.flow = Modifier.isStatic(method.getModifiers()) ? null : flow;
        this.method = method;
        method.setAccessible(true);
    }

    /** @return the version whose executions it moves */
    public int fromVersion() {
        return fromVersion;
    }

    /** @return the version it moves them to (the one declaring it) */
    public int toVersion() {
        return toVersion;
    }

    /** @return the old step names the declaration renames, with their new names */
    public Map<String, String> renamed() {
        return renamed;
    }

    /**
     * @param oldStep a step name of the old version (as stored)
     * @return its name in the new version: the declared one, or the same name
     */
    public String counterpart(String oldStep) {
        return renamed.getOrDefault(oldStep, oldStep);
    }

    /** @return the type the old state's stored JSON is read into: the method's parameter, never a stored name */
    public Class<?> oldStateType() {
        return oldStateType;
    }

    /** @return the declaring method's name, for messages */
    public String name() {
        return method.getName();
    }

    /**
     * Runs the flow author's migration.
     *
     * @param oldState the old state, read as {@link #oldStateType()}
     * @return the new state (not yet validated), or null when the method returned none
     * @throws Exception whatever the method threw
     */
    public Object migrate(Object oldState) throws Exception {
        try {
            return method.invoke(flow, oldState);
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

    @Override
    public String toString() {
        return "migration " + method.getName() + " from v" + fromVersion + " to v" + toVersion;
    }
}
