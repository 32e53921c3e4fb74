package io.flowguard.ops;

import java.util.Map;
import java.util.Optional;

import io.flowguard.store.DatabaseStatus;
import io.flowguard.service.SchemaGate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health/ready}: DOWN while the database is unreachable, migrations are pending or the
 * schema does not match, so a load balancer sends no traffic to an instance that cannot serve.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements HealthCheck {

    private final SchemaGate gate;

    @Inject
    DatabaseReadinessCheck(SchemaGate gate) {
        this.gate = gate;
    }

    @Override
    public HealthCheckResponse call() {
        DatabaseStatus status = gate.check();
        return new HealthCheckResponse("database",
                status.ready() ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
                Optional.of(Map.of("status", status.reason())));
    }
}
