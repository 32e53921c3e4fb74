package io.flowguard.ops;

import java.util.Map;
import java.util.Optional;

import io.flowguard.engine.DeploymentReport;
import io.flowguard.engine.Engine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health/ready}: DOWN when the engine's deployment check refused to start its workers,
 * which happens here only when the database came up after the service (a refusal at startup ends
 * the process instead). The reason is short; what is missing is in the log.
 */
@Readiness
@ApplicationScoped
public class DeploymentReadinessCheck implements HealthCheck {

    private final Engine engine;

    @Inject
    DeploymentReadinessCheck(Engine engine) {
        this.engine = engine;
    }

    @Override
    public HealthCheckResponse call() {
        Optional<DeploymentReport> refused = engine.deploymentRefusal();
        return new HealthCheckResponse("deployment",
                refused.isEmpty() ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
                Optional.of(Map.of("status", refused.isEmpty() ? "ready"
                        : "unfinished executions need flows or steps this build does not register")));
    }
}
