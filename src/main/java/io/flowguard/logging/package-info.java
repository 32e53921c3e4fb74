/**
 * Structured logging: one JSON line per record with the request and execution it belongs to,
 * and secret-shaped values redacted before they are encoded. The edge filter and the step runner
 * put the ids in the logging context; {@code logging.properties} installs the formatter. A leaf
 * package.
 */
package io.flowguard.logging;
