/**
 * The durable engine: starting, running, resuming and cancelling executions; worker pools that
 * claim with leases and heartbeat them; step commits fenced by the lease; retries with backoff;
 * agent waits and their deadline sweeper. Depends on {@code flow} (the registry) and
 * {@code store} (entities and lease SQL); the API depends on it through {@link io.flowguard.engine.ExecutionEngine}.
 */
package io.flowguard.engine;
