package io.flowguard.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.Config;

/**
 * The folder the deployer puts flow JARs in ({@code flowguard.flows.dir}): every {@code *.jar}
 * directly in it, in name order, loaded by one class loader whose parent is the service's own. So
 * a flow JAR sees the flow DSL and every library of the service (parent first: a JAR cannot
 * replace one of the service's classes), the JARs of the folder see each other (a flow JAR and
 * the libraries it needs besides the service's), and the service's class path stays as built.
 */
public final class FlowsDirectory {

    /** The configuration key naming the folder. */
    public static final String KEY = "flowguard.flows.dir";

    private final Path folder;
    private final List<Path> jars;
    private final ClassLoader loader;

    private FlowsDirectory(Path folder, List<Path> jars, ClassLoader parent) {
        this.folder = folder;
        this.jars = jars;
        URL[] urls = jars.stream().map(FlowsDirectory::url).toArray(URL[]::new);
        this.loader = new URLClassLoader("flowguard-flows", urls, parent);
    }

    /**
     * @param config the service's configuration
     * @return the configured folder, or empty when {@code flowguard.flows.dir} is unset or blank
     */
    static Optional<Path> configured(Config config) {
        return config.getOptionalValue(KEY, String.class).map(String::strip).filter(s -> !s.isEmpty()).map(Path::of);
    }

    /**
     * @param config the service's configuration
     * @return why the service must not start with it (the folder is named but is not a readable
     *         folder), or empty when it may
     */
    public static Optional<String> refusal(Config config) {
        return configured(config).filter(dir -> !Files.isDirectory(dir) || !Files.isReadable(dir))
                .map(dir -> KEY + " " + dir.toAbsolutePath() + " is not a readable folder");
    }

    /**
     * @param folder the configured folder
     * @param parent the service's class loader
     * @return the folder's JARs and their class loader
     * @throws IllegalStateException when the folder cannot be listed
     */
    static FlowsDirectory open(Path folder, ClassLoader parent) {
        Path absolute = folder.toAbsolutePath().normalize();
        try (Stream<Path> entries = Files.list(absolute)) {
            List<Path> jars = entries.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(Files::isRegularFile).sorted().toList();
            return new FlowsDirectory(absolute, jars, parent);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException(KEY + " " + absolute + " is not a readable folder: " + e.getMessage(), e);
        }
    }

    /** @return the folder, absolute */
    Path folder() {
        return folder;
    }

    /** @return its JARs, in name order */
    List<Path> jars() {
        return jars;
    }

    /** @return the class loader of its JARs (kept for the life of the service: its flows run on it) */
    ClassLoader loader() {
        return loader;
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(jar + ": " + e.getMessage(), e);
        }
    }
}
