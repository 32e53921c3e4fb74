/**
 * The REST API: JAX-RS resources authenticated with MicroProfile JWT, ownership checks, and the
 * mappers that turn every error into RFC 9457 problem+json. Depends on the engine's Java API.
 */
package io.flowguard.api;
