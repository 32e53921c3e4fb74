/**
 * The REST API: JAX-RS resources authenticated with MicroProfile JWT (plus {@link
 * io.flowguard.security.TokenPolicy} applied by {@link io.flowguard.api.TokenPolicyFilter}),
 * ownership checks ({@link io.flowguard.api.Caller}), strictly read request records, the live
 * event streams ({@link io.flowguard.api.ExecutionStreams}), and the mappers and filters that
 * turn every error into RFC 9457 problem+json ({@link io.flowguard.api.Problems}): exception
 * mappers inside JAX-RS, {@link io.flowguard.api.ProblemBodyFilter} for the security layer's bare
 * 401/403, {@link io.flowguard.edge.RoutingProblems} for Helidon's routing 404. Depends on the
 * engine's Java API.
 */
package io.flowguard.api;
