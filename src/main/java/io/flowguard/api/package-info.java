/**
 * The REST API: JAX-RS resources authenticated with MicroProfile JWT (plus {@link
 * io.flowguard.security.TokenPolicy} applied by {@link io.flowguard.api.TokenPolicyFilter}),
 * ownership checks ({@link io.flowguard.api.Caller}), strictly read request records, the live
 * event streams ({@link io.flowguard.api.ExecutionStreams}), and the mappers and filters that
 * turn every error into RFC 9457 problem+json ({@link io.flowguard.http.Problems}): exception
 * mappers inside JAX-RS, {@link io.flowguard.api.ProblemBodyFilter} for the security layer's bare
 * 401/403 (the edge answers Helidon's routing 404 the same way). Depends on the engine's Java API
 * and on {@code io.flowguard.http} for the problem shape, the security audit and the request
 * context keys; on the edge only for its settings (the public URL links start with), never the
 * reverse (checked by {@code ArchitectureTest}).
 */
package io.flowguard.api;
