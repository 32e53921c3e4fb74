package io.flowguard.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

/**
 * The one meter registry of the service (Micrometer, Prometheus format). Helidon's own
 * MicroProfile Metrics does not resolve from our registry at 4.2.0; Micrometer is the library
 * the metrics are written against either way.
 */
@ApplicationScoped
public class MetricsRegistryProducer {

    /**
     * The registry, as its Prometheus type (for scraping) and as a {@code MeterRegistry}. A
     * singleton without a client proxy: Micrometer's registry has final methods a proxy cannot
     * forward.
     */
    @Produces
    @Singleton
    @Typed({PrometheusMeterRegistry.class, MeterRegistry.class})
    PrometheusMeterRegistry registry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    void close(@Disposes PrometheusMeterRegistry registry) {
        registry.close();
    }
}
