package io.flowguard.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * What the deployment check found: the unfinished executions per flow and version, and every
 * flow version or step they need that this build does not register. Names are as stored; each
 * list is sorted by flow, version and step.
 *
 * @param unfinished      unfinished executions per stored flow and version, registered or not
 * @param missingVersions flow versions unfinished executions are on that are not registered
 * @param missingSteps    steps of registered versions that unfinished executions wait at or will
 *                        run next, and the registered version does not have
 */
public record DeploymentReport(List<Unfinished> unfinished, List<MissingVersion> missingVersions,
                               List<MissingStep> missingSteps) {

    /** Immutable copies. */
    public DeploymentReport {
        unfinished = List.copyOf(unfinished);
        missingVersions = List.copyOf(missingVersions);
        missingSteps = List.copyOf(missingSteps);
    }

    /**
     * Unfinished executions of one flow version.
     *
     * @param flow       the flow's name
     * @param version    its version
     * @param count      how many executions
     * @param registered whether this build registers that version
     */
    public record Unfinished(String flow, int version, long count, boolean registered) {
    }

    /**
     * A flow version unfinished executions are on that this build does not register.
     *
     * @param flow    the flow's name
     * @param version its version
     * @param count   how many executions
     */
    public record MissingVersion(String flow, int version, long count) {
        @Override
        public String toString() {
            return "flow " + Names.shown(flow) + " version " + version + " is not registered ("
                    + executions(count) + ")";
        }
    }

    /**
     * A step that unfinished executions of a registered version wait at or will run next, and that
     * version does not have (renamed or removed in place).
     *
     * @param flow    the flow's name
     * @param version its version
     * @param step    the step's name
     * @param count   how many executions wait at it or will run it
     */
    public record MissingStep(String flow, int version, String step, long count) {
        @Override
        public String toString() {
            return "flow " + Names.shown(flow) + " version " + version + " has no step " + Names.shown(step) + " ("
                    + executions(count) + " wait at it or will run it)";
        }
    }

    /** @return true when every unfinished execution can run on this build */
    public boolean runnable() {
        return missingVersions.isEmpty() && missingSteps.isEmpty();
    }

    /** @return every unfinished execution, counted */
    public long unfinishedCount() {
        return unfinished.stream().mapToLong(Unfinished::count).sum();
    }

    /** @return one sentence per missing version and step, in order */
    public List<String> findings() {
        List<String> findings = new ArrayList<>();
        missingVersions.forEach(m -> findings.add(m.toString()));
        missingSteps.forEach(m -> findings.add(m.toString()));
        return findings;
    }

    /** @return unfinished executions per flow version, e.g. {@code expense-approval v1: 3, expense-approval v2: 1} */
    public String counts() {
        if (unfinished.isEmpty()) {
            return "no unfinished executions";
        }
        List<String> counts = new ArrayList<>();
        unfinished.forEach(u -> counts.add(Names.shown(u.flow()) + " v" + u.version() + ": " + u.count()
                + (u.registered() ? "" : " (not registered)")));
        return String.join(", ", counts);
    }

    private static String executions(long count) {
        return count + (count == 1 ? " unfinished execution" : " unfinished executions");
    }
}
