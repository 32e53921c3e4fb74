/**
 * Strict JSON: the one way Flowguard reads JSON from outside (start bodies, answers, cancel
 * requests, other services' replies) and reads and writes the JSON it stores. {@link
 * io.flowguard.json.StrictJson} refuses with {@link io.flowguard.json.JsonRefused}; the engine
 * turns that into its {@code invalid_input} refusal, the REST API into the same problem.
 *
 * <p>Rule, checked by {@code ArchitectureTest}: this package depends on nothing of Flowguard's
 * outside itself, so both the engine core and the REST API use it without depending on each other.
 */
package io.flowguard.json;
