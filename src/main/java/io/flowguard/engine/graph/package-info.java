/**
 * Flow classes turned into what the engine runs: graph validation ({@link
 * io.flowguard.engine.graph.FlowGraphBuilder}), the immutable definitions and step invokers ({@link
 * io.flowguard.engine.graph.FlowDefinition}, {@link io.flowguard.engine.graph.StepDefinition},
 * {@link io.flowguard.engine.graph.StepInvoker}, {@link io.flowguard.engine.graph.StepOutcome},
 * the declared migrations {@link io.flowguard.engine.graph.MigrationDefinition}),
 * retry policies, the closed set of agent roles, and the whitelist: the {@link
 * io.flowguard.engine.graph.FlowRegistry} of flow graphs built once at startup.
 *
 * <p>Depends on the DSL ({@code io.flowguard.flow}) it reads and on nothing else of Flowguard's
 * (checked by {@code ArchitectureTest}); the engine, the outbound calls and the API use it.
 */
package io.flowguard.engine.graph;
