package io.flowguard.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.flowguard.config.DatabaseSettings;
import io.flowguard.engine.DriveObserver;
import io.flowguard.engine.Engine;
import io.flowguard.engine.EngineSettings;
import io.flowguard.engine.OnMissing;
import io.flowguard.engine.graph.AgentRoles;
import io.flowguard.engine.graph.FlowRegistry;
import io.flowguard.flow.Flow;
import io.flowguard.logging.JsonLogFormatter;
import io.flowguard.logging.LogFields;
import io.flowguard.outbound.ServiceDirectory;
import io.flowguard.store.Store;
import io.flowguard.watch.ChangeSignals;
import io.helidon.logging.common.HelidonMdc;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/**
 * Builds the embeddable {@link Engine} the service runs, from MicroProfile Config: its store on the
 * service's data source, the flows CDI discovered (whitelisted by {@code flowguard.flows.enabled},
 * made by CDI so they may inject what they need), the agent roles ({@code flowguard.agents}),
 * the engine's settings, outbound services, meters, the wake-ups of waiting readers and the
 * logging context. Starts the engine's workers once the application is up (after the schema
 * gate's first check) and stops them gracefully before the application's beans go.
 */
@ApplicationScoped
public class EngineProducer {

    private static final Logger LOG = Logger.getLogger(EngineProducer.class.getName());

    @Produces
    @Singleton
    Store store(@Named(DataSourceProducer.NAME) DataSource dataSource, DatabaseSettings database,
                ChangeSignals signals) {
        return Store.open(dataSource, database.vendor(), signals.onCommit());
    }

    void closeStore(@Disposes Store store) {
        store.close();
    }

    @Produces
    @Singleton
    Engine engine(Config config, Store store, FlowDiscovery discovery, BeanManager beans, MeterRegistry meters,
                  SchemaGate gate) {
        AgentRoles roles = discovery.selection().roles();
        Engine.Builder builder = Engine.builder().store(store).agentRoles(roles).settings(settings(config))
                .meters(meters).databaseReady(gate::isReady).onMissing(onMissing(config))
                .deploymentLog(new DeploymentCheckLog())
                .services(flows -> new ServiceDirectory(flows, config))
                .drives(id -> {
                    HelidonMdc.set(JsonLogFormatter.EXECUTION_ID, id.toString());
                    return () -> HelidonMdc.remove(JsonLogFormatter.EXECUTION_ID);
                });
        config.getOptionalValue("flowguard.engine.instance-id", String.class).ifPresent(builder::instanceId);
        registerFlows(builder, discovery, beans);
        return builder.build();
    }

    @Produces
    @Singleton
    FlowRegistry registry(Engine engine) {
        return engine.flows();
    }

    /**
     * Runs the deployment check before the server takes requests (after the schema gate's first
     * check, before Helidon starts the server): a refusal ({@link io.flowguard.engine.DeploymentRefused},
     * logged by {@link DeploymentCheckLog}) ends the startup, so the process exits non-zero. When
     * the database is not ready yet, the workers run the check once it is ({@link Engine#startWorkers()}).
     */
    void checkDeployment(@Observes @Priority(20) @Initialized(ApplicationScoped.class) Object event, Engine engine,
                         SchemaGate gate) {
        if (gate.isReady()) {
            engine.checkDeployment();
        }
    }

    /** Starts the workers once the application is up (the deployment check passed, or runs first). */
    void startWorkers(@Observes @Priority(5000) @Initialized(ApplicationScoped.class) Object event, Engine engine) {
        engine.startWorkers();
    }

    /**
     * @param config the application configuration
     * @return what the engine does about unfinished executions this build cannot run ({@value OnMissing#KEY})
     * @throws IllegalArgumentException naming the key and the allowed values
     */
    public static OnMissing onMissing(Config config) {
        return OnMissing.parse(config.getOptionalValue(OnMissing.KEY, String.class).orElse(OnMissing.REFUSE.value()));
    }

    void stopWorkers(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event, Engine engine) {
        engine.close();
    }

    /** Registers the selected flows ({@link FlowSelection}) and logs them with the JAR each came from. */
    private static void registerFlows(Engine.Builder builder, FlowDiscovery discovery, BeanManager beans) {
        List<Class<?>> registered = discovery.selection().flows();
        List<Map<String, Object>> listed = new ArrayList<>();
        for (Class<?> type : registered) {
            register(builder, type, beans);
            Flow flow = type.getAnnotation(Flow.class);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("flow", flow.name());
            one.put("version", flow.version());
            one.put("jar", discovery.archiveOf(type));
            listed.add(one);
        }
        String names = registered.stream().map(type -> FlowSelection.named(type) + " (" + discovery.archiveOf(type) + ")")
                .collect(Collectors.joining(", "));
        LogFields.log(LOG, Level.INFO, "flows registered: " + (names.isEmpty() ? "none" : names), "flows", listed);
    }

    private static <T> void register(Engine.Builder builder, Class<T> type, BeanManager beans) {
        builder.flow(type, beans.createInstance().select(type).get());
    }

    /**
     * @param config the application configuration
     * @return the engine's settings, with the documented defaults
     */
    public static EngineSettings settings(Config config) {
        EngineSettings d = EngineSettings.defaults();
        return new EngineSettings(
                config.getOptionalValue("flowguard.engine.workers", Integer.class).orElse(d.workers()),
                config.getOptionalValue("flowguard.engine.claim-batch", Integer.class).orElse(d.claimBatch()),
                duration(config, "flowguard.engine.poll-interval", d.pollInterval()),
                duration(config, "flowguard.engine.lease-duration", d.leaseDuration()),
                duration(config, "flowguard.engine.heartbeat-interval", d.heartbeatInterval()),
                duration(config, "flowguard.engine.sweep-interval", d.sweepInterval()),
                config.getOptionalValue("flowguard.engine.steps-per-claim", Integer.class).orElse(d.stepsPerClaim()),
                config.getOptionalValue("flowguard.engine.steps-per-commit", Integer.class).orElse(d.stepsPerCommit()),
                duration(config, "flowguard.agent-wait.default", d.defaultAgentWait()),
                duration(config, "flowguard.agent-wait.max", d.maxAgentWait()),
                config.getOptionalValue("flowguard.state.max-bytes", Integer.class).orElse(d.maxStateBytes()),
                config.getOptionalValue("flowguard.engine.hand-off-backlog", Integer.class).orElse(d.handOffBacklog()),
                config.getOptionalValue("flowguard.quota.max-active-executions", Integer.class)
                        .orElse(d.maxActivePerOwner()),
                duration(config, "flowguard.idempotency.ttl", d.idempotencyTtl()),
                duration(config, "flowguard.engine.shutdown-grace", d.shutdownGrace()));
    }

    private static Duration duration(Config config, String key, Duration fallback) {
        Optional<Duration> value = config.getOptionalValue(key, Duration.class);
        return value.orElse(fallback);
    }
}
