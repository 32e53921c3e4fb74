/**
 * The flow DSL: all a flow author compiles against, and nothing else. The annotations ({@link
 * io.flowguard.flow.Flow}, {@link io.flowguard.flow.Start}, {@link io.flowguard.flow.Listen},
 * {@link io.flowguard.flow.Router}, {@link io.flowguard.flow.AsksAgent}, {@link
 * io.flowguard.flow.Retry}, {@link io.flowguard.flow.Join}, and for a new version's migration of
 * an older one's executions {@link io.flowguard.flow.MigratesFrom} with its
 * {@link io.flowguard.flow.StepMapping}s), the question and answer of an agent
 * wait ({@link io.flowguard.flow.AgentAsk}, {@link io.flowguard.flow.AgentAnswer}), what a step
 * knows of its run ({@link io.flowguard.flow.StepContext}) and its calls to other services ({@link
 * io.flowguard.flow.ServiceCalls}, {@link io.flowguard.flow.ServiceReply}, {@link
 * io.flowguard.flow.ServiceCallException}). A flow's input (what a caller may set) is declared apart
 * from its state (what steps write).
 *
 * <p>Rule, checked by {@code ArchitectureTest}: this package depends on nothing of Flowguard's
 * outside itself, so a flow class imports only this package. Turning flow classes into validated
 * graphs, the registry and the step invokers are the engine's ({@code io.flowguard.engine.graph}).
 */
package io.flowguard.flow;
