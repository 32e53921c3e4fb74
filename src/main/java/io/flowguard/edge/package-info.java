/**
 * The server's edge: what every request meets before routing, JAX-RS and authentication (request
 * id, security headers, CORS) and the problem+json answer for errors Helidon's routing raises
 * outside JAX-RS. Depends on the API only for the shape of a problem.
 */
package io.flowguard.edge;
