package io.flowguard.engine;

import java.util.concurrent.atomic.AtomicLong;

import io.flowguard.engine.graph.FlowRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

/**
 * The engine's shared, immutable parts, built once from configuration: settings, the JSON codec,
 * the flow registry, the meters, and the counters operations read.
 */
@ApplicationScoped
public class EngineComponents {

    private final EngineSettings settings;
    private final StateCodec codec;
    private final FlowRegistry registry;
    private final EngineMetrics metrics;
    private final AtomicLong unknownFlows = new AtomicLong();

    /** For CDI proxies. */
    protected EngineComponents() {
        this.settings = null;
        this.codec = null;
        this.registry = null;
        this.metrics = null;
    }

    @Inject
    EngineComponents(Config config, FlowRegistry registry, EngineMetrics metrics) {
        this.settings = EngineSettings.from(config);
        this.codec = new StateCodec(settings.maxStateBytes());
        this.registry = registry;
        this.metrics = metrics;
    }

    /** @return the engine's meters */
    public EngineMetrics metrics() {
        return metrics;
    }

    public EngineSettings settings() {
        return settings;
    }

    public StateCodec codec() {
        return codec;
    }

    public FlowRegistry registry() {
        return registry;
    }

    /** @return executions failed because their flow is not registered, since start */
    public AtomicLong unknownFlows() {
        return unknownFlows;
    }
}
