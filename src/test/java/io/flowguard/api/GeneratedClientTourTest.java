package io.flowguard.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.flowguard.testing.MapConfigSource;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/**
 * A client generated from the served {@code /openapi} runs the README's tour against the real
 * server, without a hand edit: openapi-generator's CLI JAR (from Maven Central, copied to
 * {@code target/openapi-generator/} by the build) makes its Java client ({@code native} library:
 * java.net.http and Jackson, whose JARs the service already has) into
 * {@code target/generated-client/}; the JDK's compiler compiles it with
 * {@code src/test/generated-client/.../ReadmeTour.java}, written against the generated classes
 * as a team would, and the tour runs with real tokens. A document the generator refuses, a
 * client the tour does not compile against, or a call the client cannot read fails this test.
 */
@HelidonTest
// the client and its document do not depend on the database: run once, on H2 (CI runs the suite on both)
@DisabledIfSystemProperty(named = "flowguard.test.db", matches = "postgresql")
class GeneratedClientTourTest {

    private static final Path OUT = Path.of("target", "generated-client");
    private static final Path TOUR = Path.of("src", "test", "generated-client");

    @AddConfigSource
    static ConfigSource jwt() {
        return new MapConfigSource("jwt", TestTokens.config());
    }

    @Inject
    WebTarget target;

    @Test
    void aClientGeneratedFromTheDocumentRunsTheReadmeTour() throws Exception {
        Path document = OUT.resolve("openapi.json");
        deleteTree(OUT);
        Files.createDirectories(OUT);
        try (Response r = target.path("/openapi").request("application/json").get()) {
            assertThat(r.getStatus(), is(200));
            Files.writeString(document, r.readEntity(String.class), StandardCharsets.UTF_8);
        }
        Path sources = OUT.resolve("src");
        generate(document, sources);
        Path classes = compile(List.of(sources.resolve("src/main/java"), TOUR), OUT.resolve("classes"));

        String base = target.getUri().toString().replaceAll("/+$", "");
        Map<String, Object> saw;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            @SuppressWarnings("unchecked")
            Function<Map<String, String>, Map<String, Object>> tour = (Function<Map<String, String>, Map<String, Object>>)
                    loader.loadClass("io.flowguard.client.tour.ReadmeTour").getConstructor().newInstance();
            saw = tour.apply(Map.of("baseUri", base,
                    "alice", TestTokens.token("tour-alice", "flow-user"),
                    "carol", TestTokens.token("tour-carol", "agent:ceo")));
        }
        assertThat(saw.toString(), saw.get("started"), is("PENDING"));
        assertThat(saw.toString(), saw.get("listed"), is(true));
        assertThat(saw.toString(), saw.get("read"), is("feature-approval"));
        assertThat(saw.toString(), saw.get("inbox"), is(List.of("ceo PENDING")));
        assertThat(saw.toString(), saw.get("answered"), is("ANSWERED"));
        assertThat(saw.toString(), saw.get("status"), is("COMPLETED"));
        assertThat(saw.toString(), saw.get("decision"), is("APPROVED"));
        assertThat(saw.toString(), saw.get("decidedBy"), is("tour-carol"));
        @SuppressWarnings("unchecked")
        List<String> events = (List<String>) saw.get("events");
        assertThat(events.toString(), events, hasItems("CREATED", "ASKED", "ANSWERED", "STEP_COMPLETED"));
        assertThat(events.get(events.size() - 1), is("STATUS"));
    }

    /** Runs openapi-generator's CLI in its own JVM (a shaded JAR: never on this class path). */
    private static void generate(Path document, Path into) throws IOException, InterruptedException {
        String cli = System.getProperty("flowguard.test.openapi-generator");
        assertThat("the build copies openapi-generator's CLI JAR (flowguard.test.openapi-generator)",
                cli != null && Files.isRegularFile(Path.of(cli)), is(true));
        Path log = OUT.resolve("generator.log");
        Process generator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", cli, "generate", "-g", "java", "--library", "native",
                "-i", document.toString(), "-o", into.toString(),
                "--api-package", "io.flowguard.client.api", "--model-package", "io.flowguard.client.model",
                "--invoker-package", "io.flowguard.client",
                "--additional-properties", "useJakartaEe=true,openApiNullable=false,hideGenerationTimestamp=true",
                "--global-property", "apis,models,supportingFiles,apiTests=false,modelTests=false,apiDocs=false,modelDocs=false")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = generator.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            generator.destroyForcibly();
        }
        assertThat("openapi-generator refused the document:\n" + Files.readString(log),
                ended && generator.exitValue() == 0, is(true));
    }

    /**
     * Compiles the generated client with the tour, against the JARs of what the client uses
     * (Jackson and jakarta.annotation, taken from this class path so that the loaded classes are
     * the ones it was compiled against).
     */
    private static Path compile(List<Path> roots, Path into) throws IOException {
        Files.createDirectories(into);
        List<Path> sources = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        String classPath = String.join(java.io.File.pathSeparator, jarOf(ObjectMapper.class), jarOf(JsonProperty.class),
                jarOf(JsonParser.class), jarOf(JavaTimeModule.class), jarOf(jakarta.annotation.Nonnull.class));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            boolean compiled = javac.getTask(null, files, diagnostics,
                    List.of("-d", into.toString(), "-cp", classPath, "--release", "21", "-proc:none", "-nowarn"),
                    null, files.getJavaFileObjectsFromPaths(sources)).call();
            List<String> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).map(d -> d.toString()).toList();
            assertThat("the generated client and the tour compile:\n" + String.join("\n", errors), compiled, is(true));
        }
        return into;
    }

    private static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
