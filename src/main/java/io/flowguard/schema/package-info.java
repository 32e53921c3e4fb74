/**
 * The published shapes of the registered flows: for every version, the JSON Schema (Draft
 * 2020-12) of its input, of each asking step's answer and of its state, derived once at startup
 * from the Java types as the engine's strict JSON reads them and from their Bean Validation
 * constraints, and served by {@code GET /flows/{name}}. Plain Java on the engine's graph; no
 * container API.
 */
package io.flowguard.schema;
