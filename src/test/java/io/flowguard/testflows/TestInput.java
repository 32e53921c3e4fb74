package io.flowguard.testflows;

import jakarta.validation.constraints.Size;

/**
 * What a test gives to start a test flow; {@link TestState#log} is the steps' alone.
 *
 * @param key  names the execution in {@link Gates}
 * @param grow bytes a step adds to the state (null: none)
 * @param blob filler (null: empty), for the cap on an input's size
 */
public record TestInput(@Size(max = 100) String key, Integer grow, String blob) {
}
