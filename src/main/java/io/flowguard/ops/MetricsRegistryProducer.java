package io.flowguard.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;

/**
 * The one meter registry of the service (Micrometer, Prometheus format). Helidon's own
 * MicroProfile Metrics does not resolve from our registry at 4.2.0; Micrometer is the library
 * the metrics are written against either way.
 */
@ApplicationScoped
public class MetricsRegistryProducer {

    /** The registry, as its Prometheus type (for scraping) and, through the type set, as a {@code MeterRegistry}. */
    @Produces
    @ApplicationScoped
    @Typed({PrometheusMeterRegistry.class, MeterRegistry.class})
    PrometheusMeterRegistry registry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    void close(@Disposes PrometheusMeterRegistry registry) {
        registry.close();
    }
}
