/**
 * The server's edge: what every request meets before routing, JAX-RS and authentication (on the
 * HTTP/1.1 layer: message framing, the request head deadline, problems for its refusals; then
 * request id, security headers, CORS), the problem+json answer for errors Helidon's routing raises
 * outside JAX-RS, and the check that tells waiting work its client is gone. Depends on the API only
 * for the shape of a problem, and on watch only for the key that check is found under.
 */
package io.flowguard.edge;
