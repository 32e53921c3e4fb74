package io.flowguard.api;

import java.util.UUID;

import io.flowguard.engine.MigrationBatch;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The body of {@code POST /flows/{name}/migrations}, read strictly (an unknown field, a string for
 * a number, a duplicate name is 400). {@code dryRun} has no default: a caller says each time
 * whether to write.
 *
 * @param from   the version the executions are on
 * @param to     the registered version that declares the migration
 * @param dryRun true to write nothing and report what would move
 * @param limit  how many executions to look at, 1 to {@value MigrationBatch#MAX_LIMIT}
 *               (null: {@value MigrationBatch#DEFAULT_LIMIT})
 * @param after  look only past this execution (the previous report's {@code next}), or null
 */
public record MigrationRequest(@NotNull @Min(1) Integer from, @NotNull @Min(1) Integer to, @NotNull Boolean dryRun,
                               @Min(1) @Max(MigrationBatch.MAX_LIMIT) Integer limit, UUID after) {

    /**
     * @param flow the flow named in the path
     * @return the engine's batch
     */
    MigrationBatch batch(String flow) {
        return new MigrationBatch(flow, from, to, limit == null ? MigrationBatch.DEFAULT_LIMIT : limit, after, dryRun);
    }
}
