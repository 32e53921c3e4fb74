/**
 * Outbound calls from flow steps to other services (billing, CRM, notification...): only to
 * services named in configuration ({@code flowguard.services.<name>.*}) and declared by the flow
 * ({@code @Flow(services = ...)}), each behind its own retry with exponential backoff and jitter,
 * circuit breaker, timeout and bulkhead. A call that still fails is a step failure, which the
 * engine's step retry policy handles. Depends on {@code flow} (the step-facing types),
 * {@code engine.graph} (the services each flow declares) and {@code config}; the engine depends on
 * it.
 */
package io.flowguard.outbound;
