/**
 * The flow DSL users write against ({@link io.flowguard.flow.Flow}, {@link io.flowguard.flow.Start},
 * {@link io.flowguard.flow.Listen}, {@link io.flowguard.flow.Router}, {@link io.flowguard.flow.AgentAsk}),
 * with a flow's input (what a caller may set) declared apart from its state (what steps write),
 * and the whitelist: the {@link io.flowguard.flow.FlowRegistry} of validated, immutable flow graphs built
 * once at startup. Depends on nothing of Flowguard's, so a user's flow class imports only this package.
 */
package io.flowguard.flow;
