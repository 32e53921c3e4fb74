package io.flowguard;


import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
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

    @ArchTest
    static final ArchRule no_package_is_part_of_a_cycle =
            slices().matching("io.flowguard.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule the_dsl_depends_on_nothing_of_flowguards_outside_itself =
            classes().that().resideInAPackage("io.flowguard.flow")
                    .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.flowguard..")
                            .or(resideInAPackage("io.flowguard.flow")));

    @ArchTest
    static final ArchRule strict_json_depends_on_nothing_of_flowguards_outside_itself =
            classes().that().resideInAPackage("io.flowguard.json")
                    .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.flowguard..")
                            .or(resideInAPackage("io.flowguard.json")));

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

    /**
     * Only the store runs SQL or JPA. The engine takes a {@code javax.sql.DataSource} (its builder's
     * one database parameter) and hands it to the store; the service adapter builds the pool and
     * its schema gate migrates through it.
     */
    @ArchTest
    static final ArchRule only_the_store_and_the_adapter_touch_sql_or_jpa =
            noClasses().that().resideOutsideOfPackages("io.flowguard.store..", "io.flowguard.service..")
                    .should().dependOnClassesThat(resideInAnyPackage("java.sql..", "jakarta.persistence..")
                            .or(resideInAPackage("javax.sql..").and(not(name("javax.sql.DataSource")))));

    /** The engine core (engine, its graph, the store) uses no container API: it runs in plain Java. */
    @ArchTest
    static final ArchRule the_engine_core_uses_no_container_api =
            noClasses().that().resideInAnyPackage("io.flowguard.engine..", "io.flowguard.store..")
                    .should().dependOnClassesThat().resideInAnyPackage("io.helidon..", "jakarta.enterprise..",
                            "jakarta.inject..", "jakarta.ws.rs..", "jakarta.transaction..",
                            "org.eclipse.microprofile..");

    /**
     * The test kit runs the engine core as a flow author's test does: it uses the engine, its
     * graph, the store, the DSL and strict JSON, and nothing of the service around them (HTTP,
     * security, configuration, outbound clients, CDI) nor any library but the JDK directly.
     */
    @ArchTest
    static final ArchRule the_test_kit_uses_only_the_engine_core_the_dsl_and_json =
            classes().that().resideInAPackage("io.flowguard.testkit..")
                    .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.flowguard.testkit..",
                            "io.flowguard.engine..", "io.flowguard.store..", "io.flowguard.flow..", "io.flowguard.json..");

    /** The kit is for tests: nothing in the product itself depends on it. */
    @ArchTest
    static final ArchRule nothing_in_the_product_depends_on_the_test_kit =
            noClasses().that().resideOutsideOfPackage("io.flowguard.testkit..")
                    .should().dependOnClassesThat().resideInAPackage("io.flowguard.testkit..");

    /** No test framework in the artifact: the kit throws AssertionError and works under any of them. */
    @ArchTest
    static final ArchRule no_test_framework_in_the_artifact =
            noClasses().should().dependOnClassesThat().resideInAnyPackage("org.junit..", "org.hamcrest..",
                    "org.opentest4j..", "org.assertj..", "org.mockito..", "org.testng..");

    /**
     * Every resource needs an authenticated caller but the health probes: so what runs after
     * authorization (the per-subject rate limit, ownership checks) always has a subject.
     */
    @ArchTest
    static final ArchRule every_resource_but_health_requires_an_authenticated_caller =
            classes().that().areAnnotatedWith(jakarta.ws.rs.Path.class)
                    .and().doNotHaveSimpleName("HealthResource")
                    .should().beAnnotatedWith(jakarta.annotation.security.RolesAllowed.class)
                    .orShould().beAnnotatedWith(io.helidon.security.annotations.Authenticated.class);

    /**
     * The one way from a name to a class: flow discovery loading the classes it read in the
     * deployer's JARs (never a name from the database or a request; FlowRegistry is the whitelist).
     */
    @ArchTest
    static final ArchRule classes_are_loaded_by_name_only_by_flow_discovery =
            noClasses().that().doNotHaveFullyQualifiedName("io.flowguard.service.FlowDiscovery")
                    .should().callMethod(Class.class, "forName", String.class)
                    .orShould().callMethod(Class.class, "forName", String.class, boolean.class, ClassLoader.class)
                    .orShould().callMethod(ClassLoader.class, "loadClass", String.class);
}
