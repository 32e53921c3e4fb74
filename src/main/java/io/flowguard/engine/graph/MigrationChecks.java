package io.flowguard.engine.graph;

import java.util.Map;
import java.util.TreeMap;

/**
 * The startup checks of a {@link MigrationDefinition} that need the old version's graph, made when
 * the old version is registered beside the new one (a migration from a version no longer built is
 * checked against each execution's stored progress instead, when it runs): every mapped old name
 * is a step of the old version, an asking step maps to a step that asks, and no two old steps
 * end up at one new step (a mapped one, and one that keeps the target's name).
 */
final class MigrationChecks {

    private MigrationChecks() {
    }

    /**
     * @param byName every registered version of every flow
     * @throws FlowDefinitionException naming the flow, the migration and the step when one is wrong
     */
    static void check(Map<String, TreeMap<Integer, FlowDefinition>> byName) {
        for (TreeMap<Integer, FlowDefinition> versions : byName.values()) {
            for (FlowDefinition flow : versions.values()) {
                for (MigrationDefinition migration : flow.migrations().values()) {
                    FlowDefinition old = versions.get(migration.fromVersion());
                    if (old != null) {
                        check(flow, migration, old);
                    }
                }
            }
        }
    }

    private static void check(FlowDefinition flow, MigrationDefinition migration, FlowDefinition old) {
        String where = "migration " + migration.name() + " from version " + old.version();
        for (Map.Entry<String, String> m : migration.renamed().entrySet()) {
            StepDefinition from = old.steps().get(m.getKey());
            if (from == null) {
                throw new FlowDefinitionException(flow.name(), null, where + " maps '" + m.getKey()
                        + "', which is not a step of version " + old.version());
            }
            if (from.asks() && !flow.steps().get(m.getValue()).asks()) {
                throw new FlowDefinitionException(flow.name(), null, where + " maps asking step '" + m.getKey()
                        + "' to '" + m.getValue() + "', which asks no agent: executions waiting there could not move");
            }
            if (old.steps().containsKey(m.getValue()) && !migration.renamed().containsKey(m.getValue())) {
                throw new FlowDefinitionException(flow.name(), null, where + " maps '" + m.getKey() + "' to '"
                        + m.getValue() + "', which version " + old.version() + "'s own step '" + m.getValue()
                        + "' keeps as its name: map that one elsewhere");
            }
        }
    }
}
