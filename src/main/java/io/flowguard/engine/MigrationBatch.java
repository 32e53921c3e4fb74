package io.flowguard.engine;

import java.util.UUID;

/**
 * One batch of a migration an admin runs: move up to {@code limit} unfinished executions of
 * {@code flow} version {@code from} to version {@code to}, as version {@code to} declares
 * ({@link io.flowguard.flow.MigratesFrom}), or with {@code dryRun} only say what would move.
 *
 * @param flow   a registered flow's name
 * @param from   the version its executions are on (registered or not)
 * @param to     a registered, newer version that declares a migration from {@code from}
 * @param limit  how many executions this batch looks at, 1 to {@value #MAX_LIMIT}
 * @param after  look only at executions whose id follows this one (the previous batch's
 *               {@link MigrationReport#next()}), or null to start from the first
 * @param dryRun true to write nothing and report what a real run would do
 */
public record MigrationBatch(String flow, int from, int to, int limit, UUID after, boolean dryRun) {

    /** The most executions one batch looks at. */
    public static final int MAX_LIMIT = 500;
    /** The batch size when a caller names none. */
    public static final int DEFAULT_LIMIT = 100;
}
