package io.flowguard.service;

import io.flowguard.engine.graph.FlowRegistry;
import io.flowguard.schema.FlowSchemas;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Builds the published flow schemas ({@link FlowSchemas}) from the registry, once, when the
 * application starts: a type the generator cannot describe stops startup rather than the first
 * {@code GET /flows/{name}}, and no request pays for the generation.
 */
@ApplicationScoped
public class FlowSchemasProducer {

    @Produces
    @Singleton
    FlowSchemas schemas(FlowRegistry registry) {
        return FlowSchemas.of(registry);
    }

    /** Makes the schemas at startup (a {@code @Singleton} is otherwise made at its first use). */
    void buildAtStartup(@Observes @Priority(4000) @Initialized(ApplicationScoped.class) Object event,
                        FlowSchemas schemas) {
        schemas.versions("");
    }
}
