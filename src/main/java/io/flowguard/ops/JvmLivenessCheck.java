package io.flowguard.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * {@code /health/live}: DOWN when threads are deadlocked or the heap is nearly exhausted, the
 * two states a restart cures.
 */
@Liveness
@ApplicationScoped
public class JvmLivenessCheck implements HealthCheck {

    @Inject
    @ConfigProperty(name = "flowguard.health.max-heap-percent", defaultValue = "98")
    int maxHeapPercent;

    @Override
    public HealthCheckResponse call() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] deadlocked = threads.findDeadlockedThreads();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        long percent = max > 0 ? heap.getUsed() * 100 / max : 0;
        boolean up = deadlocked == null && percent < maxHeapPercent;
        return new HealthCheckResponse("jvm", up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
                Optional.of(Map.of("deadlockedThreads", deadlocked == null ? 0 : deadlocked.length,
                        "heapPercent", percent)));
    }
}
