package io.flowguard.engine;

/**
 * An engine refused to start its workers: unfinished executions need a flow version or step this
 * build does not register ({@link DeploymentCheck}, {@link OnMissing#REFUSE}). Nothing was changed.
 * The message names every missing version and step with its count, and the two ways on.
 */
public final class DeploymentRefused extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient DeploymentReport report;

    /** @param report what the check found, not runnable */
    public DeploymentRefused(DeploymentReport report) {
        super("refusing to start the workers: unfinished executions need what this build does not register: "
                + String.join("; ", report.findings()) + ". Deploy a build that registers them (keep every "
                + "released version registered while it has unfinished executions), or set " + OnMissing.KEY + "="
                + OnMissing.FAIL_EXECUTIONS.value() + " to fail them");
        this.report = report;
    }

    /** @return what the check found */
    public DeploymentReport report() {
        return report;
    }
}
