package io.flowguard.service;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tells the service's own class path entries (Flowguard itself and the libraries it was built
 * with) from the ones a deployer added ({@code java -cp flowguard.jar:libs/*:expense-flows.jar}).
 * The build writes the libraries' file names into the JAR ({@value #LIST}, from Maven's runtime
 * class path); matching by file name holds for {@code target/libs} beside the JAR and for the
 * local Maven repository a test or IDE run uses alike. Only added entries are read for flows:
 * reading every library (30,000 classes, over two seconds) at each start would be waste.
 */
final class ServiceLibraries {

    /** The resource listing the service's libraries, as {@code libs/<file>} separated by commas. */
    static final String LIST = "META-INF/flowguard/service-libraries";

    private final Set<String> fileNames;
    private final Path flowguard;

    private ServiceLibraries(Set<String> fileNames, Path flowguard) {
        this.fileNames = fileNames;
        this.flowguard = flowguard;
    }

    /** @return the libraries of this build and where Flowguard's own classes are */
    static ServiceLibraries ofThisBuild() {
        Set<String> names;
        try (InputStream in = ServiceLibraries.class.getClassLoader().getResourceAsStream(LIST)) {
            String list = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            names = Arrays.stream(list.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty())
                    .map(s -> s.substring(s.lastIndexOf('/') + 1)).collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServiceLibraries(names, codeSource());
    }

    /**
     * @param entry a class path entry
     * @return whether it is one of the libraries the service was built with (never Flowguard itself)
     */
    boolean isLibrary(Path entry) {
        Path name = entry.getFileName();
        return name != null && fileNames.contains(name.toString()) && !entry.toAbsolutePath().normalize().equals(flowguard);
    }

    /**
     * @param classPath the JVM's class path ({@code java.class.path})
     * @return its entries that are neither Flowguard nor one of its libraries, and exist
     */
    List<Path> added(String classPath) {
        return Arrays.stream(classPath.split(File.pathSeparator)).filter(s -> !s.isBlank())
                .map(s -> Path.of(s).toAbsolutePath().normalize())
                .filter(Files::exists)
                .filter(p -> !p.equals(flowguard))
                .filter(p -> p.getFileName() == null || !fileNames.contains(p.getFileName().toString()))
                .distinct().toList();
    }

    private static Path codeSource() {
        CodeSource source = ServiceLibraries.class.getProtectionDomain().getCodeSource();
        try {
            return source == null ? null : Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
