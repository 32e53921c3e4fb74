package io.flowguard;

import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package boundaries, checked on the compiled main classes so the package docs stay true.
 * Each rule was broken on purpose once (one forbidden import) and failed.
 */
@AnalyzeClasses(packages = "io.flowguard", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /**
     * Classes outside the store that still run SQL or JPA themselves today. The list may only
     * shrink: each entry is a statement that belongs in the store (issue 17, point 4).
     */
    static final Set<String> SQL_OUTSIDE_THE_STORE = Set.of(
            "io.flowguard.engine.AgentWaits",
            "io.flowguard.engine.EngineLifecycle",
            "io.flowguard.engine.ExecutionLifecycle",
            "io.flowguard.engine.History",
            "io.flowguard.engine.OwnerQuota",
            "io.flowguard.engine.Settle",
            "io.flowguard.engine.StepCommitter",
            "io.flowguard.engine.Unrunnable",
            "io.flowguard.retention.RetentionStore",
            "io.flowguard.retention.RetentionSweeper");

    @ArchTest
    static final ArchRule no_package_is_part_of_a_cycle =
            slices().matching("io.flowguard.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule the_dsl_depends_on_nothing_of_flowguards_outside_itself =
            classes().that().resideInAPackage("io.flowguard.flow")
                    .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.flowguard..")
                            .or(resideInAPackage("io.flowguard.flow")));

    @ArchTest
    static final ArchRule the_edge_never_depends_on_the_api =
            noClasses().that().resideInAPackage("io.flowguard.edge..")
                    .should().dependOnClassesThat().resideInAPackage("io.flowguard.api..");

    @ArchTest
    static final ArchRule the_api_uses_of_the_edge_only_its_settings =
            noClasses().that().resideInAPackage("io.flowguard.api..")
                    .should().dependOnClassesThat(resideInAPackage("io.flowguard.edge..")
                            .and(not(simpleName("EdgeSettings"))));

    @ArchTest
    static final ArchRule what_the_http_layers_share_depends_on_neither =
            noClasses().that().resideInAPackage("io.flowguard.http..")
                    .should().dependOnClassesThat().resideInAnyPackage("io.flowguard.api..", "io.flowguard.edge..");

    @ArchTest
    static final ArchRule only_the_store_and_the_listed_classes_touch_sql_or_jpa =
            noClasses().that().resideOutsideOfPackage("io.flowguard.store..")
                    .and(not(listedIn(SQL_OUTSIDE_THE_STORE)))
                    .should().dependOnClassesThat()
                    .resideInAnyPackage("java.sql..", "javax.sql..", "jakarta.persistence..");

    /**
     * Engine classes that still use a container API (CDI, JTA, MicroProfile Config, Helidon) today.
     * The embeddable core (issue 17, point 3) empties this list; it may only shrink, and no other
     * engine class may start using one. Measured on 2026-12-01: 102 dependencies in these 12.
     */
    static final Set<String> CONTAINER_API_IN_THE_ENGINE = Set.of(
            "io.flowguard.engine.AgentWaits",
            "io.flowguard.engine.DeadlineSweeper",
            "io.flowguard.engine.EngineComponents",
            "io.flowguard.engine.EngineLifecycle",
            "io.flowguard.engine.EngineMetrics",
            "io.flowguard.engine.EngineSettings",
            "io.flowguard.engine.ExecutionEngine",
            "io.flowguard.engine.ExecutionLifecycle",
            "io.flowguard.engine.StepCommitter",
            "io.flowguard.engine.StepRunner",
            "io.flowguard.engine.graph.FlowDiscovery",
            "io.flowguard.engine.graph.FlowRegistryProducer");

    @ArchTest
    static final ArchRule the_engine_core_uses_no_container_api_beyond_the_listed_classes =
            noClasses().that().resideInAPackage("io.flowguard.engine..")
                    .and(not(listedIn(CONTAINER_API_IN_THE_ENGINE)))
                    .should().dependOnClassesThat().resideInAnyPackage("io.helidon..", "jakarta.enterprise..",
                            "jakarta.ws.rs..", "jakarta.transaction..", "org.eclipse.microprofile..");

    private static DescribedPredicate<JavaClass> listedIn(Set<String> names) {
        return DescribedPredicate.describe("listed in " + names,
                c -> names.contains(c.getName().replaceFirst("\\$.*", "")));
    }
}
