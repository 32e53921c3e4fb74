package io.flowguard.service;

import io.flowguard.flow.Flow;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;

/**
 * Collects the {@link Flow} classes in the application's bean archives while CDI scans them:
 * the set of flow classes is fixed when the service is built, never read from data.
 */
public class FlowDiscovery implements Extension {

    private final List<Class<?>> flowClasses = new ArrayList<>();

    void collect(@Observes @WithAnnotations(Flow.class) ProcessAnnotatedType<?> type) {
        Class<?> javaClass = type.getAnnotatedType().getJavaClass();
        if (javaClass.isAnnotationPresent(Flow.class)) {
            flowClasses.add(javaClass);
        }
    }

    /** @return every discovered flow class */
    public List<Class<?>> flowClasses() {
        return List.copyOf(flowClasses);
    }
}
