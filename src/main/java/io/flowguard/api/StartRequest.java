package io.flowguard.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /executions}. Read strictly (unknown fields such as {@code owner},
 * {@code status} or {@code version} are refused, not ignored) and validated before the flow
 * name is looked up in the registry.
 *
 * @param flow  a registered flow's name
 * @param input the flow's input, as a JSON object its input record then reads (a field the flow's
 *              steps write, such as a decision, is refused: the flow builds its state from the input)
 */
public record StartRequest(
        @NotNull @Size(min = 1, max = 100) @Pattern(regexp = "[a-z0-9][a-z0-9-]*",
                message = "must be a flow name (lower-case letters, digits and '-')") String flow,
        @NotNull ObjectNode input) {
}
