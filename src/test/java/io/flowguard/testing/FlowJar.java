package io.flowguard.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a flow JAR at test time, as a team's build would: Java sources compiled by the JDK's
 * compiler ({@code --release 21}) against Flowguard's classes and libraries, packed into a JAR,
 * with or without a {@code META-INF/beans.xml}.
 */
public final class FlowJar {

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<Path> sourceRoots = new ArrayList<>();
    private final List<Path> leftOutRoots = new ArrayList<>();
    private String beansXml;

    private FlowJar() {
    }

    /** @return a JAR with no sources yet */
    public static FlowJar of() {
        return new FlowJar();
    }

    /**
     * @param root a source folder (e.g. {@code src/it/expense-flows/src/main/java}); every {@code .java} under it
     * @return this
     */
    public FlowJar sourcesUnder(Path root) {
        sourceRoots.add(root);
        return this;
    }

    /**
     * @param root    a source folder; every {@code .java} under it is compiled into the JAR
     * @param leftOut a folder under it whose sources are not (as a build profile leaves them out)
     * @return this
     */
    public FlowJar sourcesUnder(Path root, Path leftOut) {
        sourceRoots.add(root);
        leftOutRoots.add(leftOut);
        return this;
    }

    /**
     * @param path   the source's path, e.g. {@code it/extra/Note.java}
     * @param source its text
     * @return this
     */
    public FlowJar source(String path, String source) {
        sources.put(path, source);
        return this;
    }

    /**
     * @param xml the JAR's {@code META-INF/beans.xml} (none unless given)
     * @return this
     */
    public FlowJar beansXml(String xml) {
        this.beansXml = xml;
        return this;
    }

    /**
     * @param jar where to write it
     * @return {@code jar}
     */
    public Path writeTo(Path jar) throws IOException {
        Path work = Files.createTempDirectory("flow-jar");
        Path src = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file.toString());
        }
        for (Path root : sourceRoots) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".java")).filter(p -> leftOutRoots.stream().noneMatch(p::startsWith))
                        .forEach(p -> files.add(p.toString()));
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> options = new ArrayList<>(List.of("--release", "21", "-proc:none", "-implicit:none",
                "-d", classes.toString(), "-cp", ProductClassPath.entries().stream().map(Path::toString)
                        .reduce((a, b) -> a + File.pathSeparator + b).orElseThrow()));
        options.addAll(files);
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int code = javac.run(null, diagnostics, diagnostics, options.toArray(String[]::new));
        if (code != 0) {
            throw new AssertionError("flow sources did not compile (" + code + "): "
                    + diagnostics.toString(StandardCharsets.UTF_8));
        }
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                zip.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
            if (beansXml != null) {
                zip.putNextEntry(new JarEntry("META-INF/beans.xml"));
                zip.write(beansXml.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return jar;
    }

    /**
     * A minimal valid flow: one start step on a record state.
     *
     * @param pkg       its package
     * @param className its class
     * @param flowName  its registered name
     * @return the two sources (the flow and its state)
     */
    public FlowJar minimalFlow(String pkg, String className, String flowName) {
        String dir = pkg.replace('.', '/');
        source(dir + "/" + className + "Note.java", """
                package %s;
                public record %sNote(String text) { }
                """.formatted(pkg, className));
        source(dir + "/" + className + ".java", """
                package %s;
                import io.flowguard.flow.Flow;
                import io.flowguard.flow.Start;
                @Flow(name = "%s", input = %sNote.class, state = %sNote.class)
                public class %s {
                    @Start
                    void start(%sNote note) { }
                }
                """.formatted(pkg, flowName, className, className, className, className));
        return this;
    }
}
