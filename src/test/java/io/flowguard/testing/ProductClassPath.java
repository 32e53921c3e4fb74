package io.flowguard.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The class path the packaged service runs on, from this test run's: Flowguard's classes and the
 * runtime libraries its build lists (what {@code target/libs} holds), without the tests and the
 * test-only libraries.
 */
public final class ProductClassPath {

    private ProductClassPath() {
    }

    /** @return Flowguard's classes folder, then its libraries */
    public static List<Path> entries() {
        List<Path> all = Arrays.stream(System.getProperty("surefire.test.class.path",
                        System.getProperty("java.class.path")).split(File.pathSeparator))
                .filter(s -> !s.isBlank()).map(Path::of).toList();
        Path classes = all.stream().filter(p -> p.endsWith(Path.of("target", "classes"))).findFirst()
                .orElseThrow(() -> new AssertionError("no target/classes on the test class path"));
        Set<String> libraries;
        try {
            libraries = Arrays.stream(Files.readString(classes.resolve("META-INF/flowguard/service-libraries"))
                            .split(",")).map(String::strip).map(s -> s.substring(s.lastIndexOf('/') + 1))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Path> entries = new ArrayList<>(List.of(classes));
        all.stream().filter(p -> p.getFileName() != null && libraries.contains(p.getFileName().toString()))
                .forEach(entries::add);
        return entries;
    }
}
