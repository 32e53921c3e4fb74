/**
 * The test kit for flow authors: {@link io.flowguard.testkit.FlowTestKit} runs flows on the
 * embeddable engine, on a private H2 database in memory migrated like the product's, with a
 * {@link io.flowguard.testkit.ManualClock} and no worker threads. A test starts an execution
 * with an input ({@link io.flowguard.testkit.FlowRun}), answers its
 * {@link io.flowguard.testkit.OpenAsk}s as a subject and role, moves time past deadlines and
 * retry backoffs, stubs the outbound services its flow declares
 * ({@link io.flowguard.testkit.ServiceStub}, on the engine's {@code ServiceCaller}), deploys a
 * changed build on the same database, runs a declared migration to it (dry run or real), and
 * checks the steps run, the routes taken and the state.
 *
 * <p>It needs no test framework (reads return values; checks throw {@link AssertionError}) and
 * no container. Depends on the engine, its graph, the store, the DSL and strict JSON; nothing of
 * the service (HTTP, security, configuration, outbound clients) and no test framework. Nothing
 * else in the product depends on it. Rules, checked by {@code ArchitectureTest}.
 */
package io.flowguard.testkit;
