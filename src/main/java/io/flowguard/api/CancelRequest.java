package io.flowguard.api;

import jakarta.validation.constraints.Size;

/**
 * The optional body of {@code POST /executions/{id}/cancel}.
 *
 * @param reason why, recorded in the execution's history (at most 500 characters)
 */
public record CancelRequest(@Size(max = 500) String reason) {
}
