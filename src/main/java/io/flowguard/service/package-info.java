/**
 * The service adapter: CDI producers that build the embeddable engine from MicroProfile Config
 * ({@link io.flowguard.service.EngineProducer}), the pooled data source ({@link
 * io.flowguard.service.DataSourceProducer}), the discovery of {@code @Flow} beans ({@link
 * io.flowguard.service.FlowDiscovery}), the schema gate that migrates, validates and reports
 * the database ({@link io.flowguard.service.SchemaGate}) and the flows' published JSON Schemas,
 * built once at startup ({@link io.flowguard.service.FlowSchemasProducer}). The REST resources
 * call the engine it produces; nothing of the engine core depends on this package.
 */
package io.flowguard.service;
