package io.flowguard.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.flowguard.testing.FlowJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A flow JAR read without loading a class: its {@code @Flow} classes with their names and
 * versions, the beans they may inject, and what its {@code beans.xml} says (read as untrusted XML).
 */
class FlowArchiveReaderTest {

    private static final Path SAMPLE_SOURCES = Path.of("src/it/expense-flows/src/main/java");
    /** Its v2, which the project's default build (its first release) leaves out: see its pom. */
    private static final Path SAMPLE_V2 = SAMPLE_SOURCES.resolve("com/example/expenses/v2");

    @Test
    void theSampleJarHoldsItsFlowAndTheBeanTheFlowInjects(@TempDir Path dir) throws Exception {
        FlowArchive archive = FlowArchiveReader.read(FlowJar.of().sourcesUnder(SAMPLE_SOURCES, SAMPLE_V2)
                .writeTo(dir.resolve("expense-flows.jar")));
        assertThat(archive.name(), is("expense-flows.jar"));
        assertThat(archive.flows(), is(List.of(new FlowArchive.FlowClass("com.example.expenses.ExpenseApprovalFlow",
                "expense-approval", 1))));
        assertThat(archive.beanClasses(), is(List.of("com.example.expenses.ExpensePolicy")));
        assertThat(archive.discovery(), is(FlowArchive.BeanDiscovery.NO_BEANS_XML));
    }

    @Test
    void aFlowsVersionAndAFolderOfClassesAreRead(@TempDir Path dir) throws Exception {
        Path jar = FlowJar.of().source("it/v/Two.java", """
                package it.v;
                @io.flowguard.flow.Flow(name = "two", version = 2, input = Two.In.class, state = Two.In.class)
                public class Two {
                    public record In(String a) { }
                    @io.flowguard.flow.Start void start(In in) { }
                }
                """).writeTo(dir.resolve("two.jar"));
        assertThat(FlowArchiveReader.read(jar).flows(), is(List.of(new FlowArchive.FlowClass("it.v.Two", "two", 2))));
        Path classes = Files.createDirectories(dir.resolve("classes/it/v"));
        try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
            Files.write(classes.resolve("Two.class"), zip.getInputStream(zip.getEntry("it/v/Two.class")).readAllBytes());
        }
        assertThat(FlowArchiveReader.read(dir.resolve("classes")).flows().get(0).toString(), is("two v2"));
    }

    @Test
    void beansXmlSaysWhetherDiscoveryIsOn(@TempDir Path dir) throws Exception {
        assertThat(discovery(dir, "none", """
                <beans xmlns="https://jakarta.ee/xml/ns/jakartaee" version="4.0" bean-discovery-mode="none"/>"""),
                is(FlowArchive.BeanDiscovery.OFF));
        assertThat(discovery(dir, "annotated", """
                <beans xmlns="https://jakarta.ee/xml/ns/jakartaee" version="4.0" bean-discovery-mode="annotated"/>"""),
                is(FlowArchive.BeanDiscovery.ON));
        assertThat(discovery(dir, "all", "<beans bean-discovery-mode=\"all\"></beans>"), is(FlowArchive.BeanDiscovery.ON));
        assertThat(discovery(dir, "empty", ""), is(FlowArchive.BeanDiscovery.ON));
    }

    @Test
    void aBeansXmlWithADoctypeOrNoXmlAtAllIsRefusedNamingTheJar(@TempDir Path dir) throws Exception {
        // Any DTD is refused (entity expansion, external entities): here one that would turn discovery off.
        Path doctype = FlowJar.of().minimalFlow("it.x", "XFlow", "x-flow").beansXml("""
                <?xml version="1.0"?>
                <!DOCTYPE beans [<!ENTITY mode "none">]>
                <beans bean-discovery-mode="&mode;"/>""").writeTo(dir.resolve("doctype.jar"));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> FlowArchiveReader.read(doctype));
        assertThat(refused.getMessage(), containsString("doctype.jar: META-INF/beans.xml is not well-formed XML"));

        Path notAJar = Files.writeString(dir.resolve("notes.jar"), "not a zip");
        assertThat(assertThrows(IllegalStateException.class, () -> FlowArchiveReader.read(notAJar)).getMessage(),
                containsString("notes.jar cannot be read as a JAR of classes"));
    }

    private static FlowArchive.BeanDiscovery discovery(Path dir, String name, String beansXml) throws Exception {
        return FlowArchiveReader.read(FlowJar.of().minimalFlow("it." + name, "F", name + "-flow").beansXml(beansXml)
                .writeTo(dir.resolve(name + ".jar"))).discovery();
    }
}
