/**
 * The server's edge: what every request meets before routing, JAX-RS and authentication (on the
 * HTTP/1.1 layer: message framing, the request head deadline, problems for its refusals; then
 * request id, security headers, CORS), the problem+json answer for errors Helidon's routing raises
 * outside JAX-RS, and the check that tells waiting work its client is gone. Depends on
 * {@code io.flowguard.http} for the shape of a problem, the security audit and the request context
 * keys, and on watch only for the key that check is found under; never on the API (checked by
 * {@code ArchitectureTest}), which runs after it and may read its settings.
 */
package io.flowguard.edge;
