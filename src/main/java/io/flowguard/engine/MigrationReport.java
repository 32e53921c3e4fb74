package io.flowguard.engine;

import java.util.List;
import java.util.UUID;

/**
 * What a migration batch did, or (a dry run) would do: the executions it moved, those it could
 * not move and why, how many unfinished executions stay on the old version, and where the next
 * batch starts.
 *
 * @param flow      the flow
 * @param from      the version moved from
 * @param to        the version moved to
 * @param dryRun    true when nothing was written
 * @param moved     the executions moved, in id order (a dry run: those a real run would move now)
 * @param cannot    the executions that did not (would not) move, each with its reason
 * @param remaining unfinished executions still on {@code from} afterwards (a dry run: once the
 *                  ones it lists as moving have moved)
 * @param next      the last execution this batch looked at, to pass as the next batch's
 *                  {@link MigrationBatch#after()}; null when it reached the end
 */
public record MigrationReport(String flow, int from, int to, boolean dryRun, List<UUID> moved, List<Unmoved> cannot,
                              long remaining, UUID next) {

    /** Defensive copies. */
    public MigrationReport {
        moved = List.copyOf(moved);
        cannot = List.copyOf(cannot);
    }

    /**
     * An execution that stays on its version, and why.
     *
     * @param id     the execution
     * @param reason a stable code: {@code running}, {@code no_counterpart}, {@code not_asking},
     *               {@code role_not_asked}, {@code ambiguous}, {@code state_unreadable},
     *               {@code migration_failed}, {@code state_invalid}, {@code state_too_large},
     *               {@code corrupt_execution} or {@code changed}
     * @param detail what exactly, safe to show (names of steps and roles, constraint messages)
     */
    public record Unmoved(UUID id, String reason, String detail) {
    }
}
