package io.flowguard.engine.graph;

import io.flowguard.flow.Flow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the {@link FlowRegistry} and {@link AgentRoles} from configuration and the discovered
 * flow classes, at startup: an invalid graph or a bad setting stops the service before it
 * serves anything.
 */
@ApplicationScoped
public class FlowRegistryProducer {

    private static final Logger LOG = Logger.getLogger(FlowRegistryProducer.class.getName());

    @Produces
    @Singleton
    AgentRoles agentRoles(@ConfigProperty(name = "flowguard.agents", defaultValue = AgentRoles.DEFAULT) String agents) {
        return AgentRoles.of(agents);
    }

    @Produces
    @Singleton
    FlowRegistry registry(FlowDiscovery discovery, BeanManager beans, AgentRoles roles,
                          @ConfigProperty(name = "flowguard.flows.enabled", defaultValue = "*") String enabled) {
        Set<String> wanted = Arrays.stream(enabled.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        boolean all = wanted.isEmpty() || wanted.contains("*");
        List<FlowDefinition> definitions = new ArrayList<>();
        for (Class<?> type : discovery.flowClasses()) {
            String name = type.getAnnotation(Flow.class).name();
            if (!all && !wanted.contains(name)) {
                continue;
            }
            Object instance = beans.createInstance().select(type).get();
            definitions.add(FlowGraphBuilder.build(type, instance, roles));
        }
        if (!all) {
            Set<String> found = definitions.stream().map(FlowDefinition::name).collect(Collectors.toSet());
            for (String name : wanted) {
                if (!found.contains(name)) {
                    throw new FlowDefinitionException(name, null, "is named in flowguard.flows.enabled but not registered");
                }
            }
        }
        FlowRegistry registry = new FlowRegistry(definitions, roles);
        LOG.info("flows registered: " + registry.flows().stream().map(FlowDefinition::toString)
                .collect(Collectors.joining(", ")));
        return registry;
    }

    /** Builds the registry eagerly so that an invalid flow refuses startup. */
    void validateAtStartup(@Observes @Initialized(ApplicationScoped.class) Object event, FlowRegistry registry) {
        registry.flows();
    }
}
