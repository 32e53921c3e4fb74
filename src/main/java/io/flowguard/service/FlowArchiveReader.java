package io.flowguard.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import io.flowguard.flow.Flow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.xml.sax.SAXException;

/**
 * Reads a JAR or class folder with Jandex (the class-file indexer Weld itself uses): which classes
 * carry {@code @Flow} or a CDI scope, and what its {@code beans.xml} says. Nothing is loaded or
 * initialised: a class file is bytes here, so reading a JAR runs none of its code.
 */
final class FlowArchiveReader {

    private static final String BEANS_XML = "META-INF/beans.xml";
    private static final DotName FLOW = DotName.createSimple(Flow.class);
    private static final Set<DotName> SCOPES = Set.of(DotName.createSimple(ApplicationScoped.class),
            DotName.createSimple(RequestScoped.class), DotName.createSimple(Dependent.class));

    private FlowArchiveReader() {
    }

    /**
     * @param location a JAR file or a folder of classes
     * @return what it holds
     * @throws IllegalStateException naming the archive when it cannot be read (not a JAR, a class
     *                               file Jandex refuses, a beans.xml that is not XML)
     */
    static FlowArchive read(Path location) {
        Classes classes = new Classes();
        byte[] beansXml;
        try {
            if (Files.isDirectory(location)) {
                beansXml = readFolder(location, classes);
            } else {
                beansXml = readJar(location, classes);
            }
            classes.complete();
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            throw new IllegalStateException(location + " cannot be read as a JAR of classes: " + e.getMessage(), e);
        }
        return new FlowArchive(location, classes.flows, classes.beans, discovery(location, beansXml));
    }

    private static byte[] readJar(Path jar, Classes classes) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements();) {
                JarEntry entry = entries.nextElement();
                if (isClass(entry.getName())) {
                    try (InputStream in = file.getInputStream(entry)) {
                        classes.index(in);
                    }
                }
            }
            JarEntry beans = file.getJarEntry(BEANS_XML);
            if (beans == null) {
                return null;
            }
            try (InputStream in = file.getInputStream(beans)) {
                return in.readAllBytes();
            }
        }
    }

    private static byte[] readFolder(Path folder, Classes classes) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (isClass(folder.relativize(file).toString().replace('\\', '/'))) {
                    try (InputStream in = Files.newInputStream(file)) {
                        classes.index(in);
                    }
                }
            }
        }
        Path beans = folder.resolve(BEANS_XML);
        return Files.isRegularFile(beans) ? Files.readAllBytes(beans) : null;
    }

    /** Class files of the archive itself: not module descriptors, not a multi-release JAR's other versions. */
    private static boolean isClass(String name) {
        return name.endsWith(".class") && !name.endsWith("module-info.class") && !name.startsWith("META-INF/");
    }

    private static FlowArchive.BeanDiscovery discovery(Path location, byte[] beansXml) {
        if (beansXml == null) {
            return FlowArchive.BeanDiscovery.NO_BEANS_XML;
        }
        if (new String(beansXml, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return FlowArchive.BeanDiscovery.ON; // an empty beans.xml: discovery on, as CDI reads it
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // A deployer's file, still read as untrusted XML: no DTD, no external entity (XXE).
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            String mode = factory.newDocumentBuilder().parse(new ByteArrayInputStream(beansXml))
                    .getDocumentElement().getAttribute("bean-discovery-mode").strip();
            return "none".equals(mode) ? FlowArchive.BeanDiscovery.OFF : FlowArchive.BeanDiscovery.ON;
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException(location + ": " + BEANS_XML + " is not well-formed XML: " + e.getMessage(), e);
        }
    }

    /** The archive's flow and bean classes, as Jandex reads them one class file at a time. */
    private static final class Classes {
        private final Indexer indexer = new Indexer();
        private final List<FlowArchive.FlowClass> flows = new ArrayList<>();
        private final List<String> beans = new ArrayList<>();

        void index(InputStream classFile) throws IOException {
            indexer.index(classFile);
        }

        /** Sorts the indexed classes into flows and beans (class-level annotations only). */
        void complete() {
            Index index = indexer.complete();
            for (ClassInfo info : index.getKnownClasses()) {
                AnnotationInstance flow = info.declaredAnnotation(FLOW);
                if (flow != null) {
                    AnnotationValue version = flow.value("version");
                    flows.add(new FlowArchive.FlowClass(info.name().toString(), flow.value("name").asString(),
                            version == null ? 1 : version.asInt()));
                } else if (SCOPES.stream().anyMatch(scope -> info.declaredAnnotation(scope) != null)) {
                    beans.add(info.name().toString());
                }
            }
            flows.sort(java.util.Comparator.comparing(FlowArchive.FlowClass::className));
            beans.sort(null);
        }
    }
}
