package io.flowguard.engine;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

import io.flowguard.engine.graph.FlowRegistry;
import io.flowguard.store.Store;

/**
 * What the engine's pieces share, built once by {@link Engine.Builder}: settings, the JSON codec,
 * the registered flows, the meters, the store, the clock, outbound calls and the drive hook.
 *
 * @param settings     limits and timings
 * @param codec        JSON of states, inputs and answers
 * @param registry     the registered flows
 * @param metrics      the meters
 * @param store        the database
 * @param clock        the time every lease, deadline and backoff is measured by
 * @param services     outbound calls for flows that declare services
 * @param drives       told when a worker starts and ends driving an execution
 * @param unknownFlows executions failed because their flow is not registered, since start
 */
record EngineParts(EngineSettings settings, StateCodec codec, FlowRegistry registry, EngineMetrics metrics,
                   Store store, Clock clock, ServiceCaller services, DriveObserver drives, AtomicLong unknownFlows) {
}
