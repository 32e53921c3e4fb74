package io.flowguard.service;

import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.flowguard.engine.graph.FlowDefinition;
import io.flowguard.engine.graph.FlowGraphBuilder;
import io.flowguard.engine.graph.FlowRegistry;
import io.flowguard.flow.Flow;
import io.flowguard.logging.LogFields;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Vetoed;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AfterTypeDiscovery;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import jakarta.enterprise.inject.spi.WithAnnotations;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Collects the {@link Flow} classes while CDI scans the application: the set of flow classes is
 * fixed when the service starts, from the deployer's JARs and configuration, never read from data.
 *
 * <p>Flow classes come from three places. The bean archives on the class path (Flowguard's own
 * examples, a JAR with {@code META-INF/beans.xml}), which CDI reads itself. The JARs in
 * {@code flowguard.flows.dir}, loaded by their own class loader ({@link FlowsDirectory}); CDI does
 * not see them (Weld looks for bean archives through the thread's context class loader, the
 * service's), so this extension reads them ({@link FlowArchiveReader}) and adds their {@code @Flow}
 * classes, and the classes with a CDI scope they may inject, as annotated types: a flow JAR works
 * with or without {@code beans.xml}, as if it were a bean archive in {@code annotated} mode. And a
 * class path entry the deployer added without {@code beans.xml}, read and added the same way. A
 * JAR whose {@code beans.xml} turns discovery off ({@code none}) is left out, named in a warning
 * with the flows it holds. With {@code flowguard.flows.examples=false} the shipped examples
 * ({@value #EXAMPLES_PACKAGE}) are vetoed: not beans, not flows, their services not needed.
 *
 * <p>Those two keys are read when CDI starts (from the process's configuration: {@code -D},
 * environment, files). Which discovered flows are registered is decided once the deployment is
 * validated ({@link FlowSelection}), before any bean is made, so a refusal is logged once.
 */
public class FlowDiscovery implements Extension {

    /** The configuration key that leaves the shipped examples out. */
    static final String EXAMPLES_KEY = "flowguard.flows.examples";
    /** The package of the shipped examples. */
    static final String EXAMPLES_PACKAGE = "io.flowguard.examples";

    private static final Logger LOG = Logger.getLogger(FlowDiscovery.class.getName());

    private final Map<Class<?>, String> flowClasses = new LinkedHashMap<>();
    private final Set<Class<?>> added = new HashSet<>();
    private final List<String> examplesLeftOut = new ArrayList<>();
    private boolean examples = true;
    private FlowSelection selection;

    void addFlowArchives(@Observes BeforeBeanDiscovery event) {
        Config config = ConfigProvider.getConfig();
        examples = config.getOptionalValue(EXAMPLES_KEY, Boolean.class).orElse(true);
        ClassLoader serviceLoader = FlowDiscovery.class.getClassLoader();
        Optional<Path> folder = FlowsDirectory.configured(config);
        if (folder.isPresent()) {
            FlowsDirectory flows = FlowsDirectory.open(folder.get(), serviceLoader);
            List<FlowArchive> archives = flows.jars().stream().map(FlowArchiveReader::read).toList();
            logFolder(flows, archives);
            archives.forEach(archive -> add(event, archive, flows.loader()));
        }
        for (Path entry : ServiceLibraries.ofThisBuild().added(System.getProperty("java.class.path", ""))) {
            FlowArchive archive;
            try {
                archive = FlowArchiveReader.read(entry);
            } catch (IllegalStateException e) {
                LOG.warning("class path entry not read for flows: " + e.getMessage());
                continue;
            }
            if (archive.discovery() != FlowArchive.BeanDiscovery.ON) { // CDI reads a bean archive itself
                add(event, archive, serviceLoader);
            }
        }
    }

    /**
     * Adds an archive's flow and bean classes as annotated types, unless its beans.xml turns
     * discovery off (then a warning names it and its flows).
     */
    private void add(BeforeBeanDiscovery event, FlowArchive archive, ClassLoader loader) {
        List<String> named = archive.flows().stream().map(FlowArchive.FlowClass::toString).toList();
        if (archive.discovery() == FlowArchive.BeanDiscovery.OFF) {
            if (!named.isEmpty()) {
                LogFields.log(LOG, Level.WARNING, archive.name() + " holds flows that are not registered: its "
                        + "META-INF/beans.xml says bean-discovery-mode=\"none\" (" + String.join(", ", named) + ")",
                        "jar", archive.name(), "location", archive.location().toString(), "flows", named,
                        "reason", "bean-discovery-mode none");
            }
            return;
        }
        List<Class<?>> types = new ArrayList<>();
        archive.flows().forEach(flow -> types.add(load(archive, flow.className(), loader)));
        archive.beanClasses().forEach(name -> types.add(load(archive, name, loader)));
        for (Class<?> type : types) {
            // Parent first: a class the service's class path already has is that one, read there.
            if (type.getClassLoader() == loader && added.add(type)) {
                event.addAnnotatedType(type, "flowguard:" + archive.name() + ":" + type.getName());
            }
        }
    }

    private static Class<?> load(FlowArchive archive, String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException(archive.name() + ": class " + name + " cannot be loaded ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); a library it needs belongs in "
                    + FlowsDirectory.KEY + " beside it", e);
        }
    }

    /** Logs the folder and the flows each of its JARs holds, as one line (a warning when it holds no JAR). */
    private static void logFolder(FlowsDirectory flows, List<FlowArchive> archives) {
        Map<String, Object> jars = new LinkedHashMap<>();
        List<String> listed = new ArrayList<>();
        for (FlowArchive archive : archives) {
            List<String> named = archive.flows().stream().map(FlowArchive.FlowClass::toString).toList();
            jars.put(archive.name(), named);
            String off = archive.discovery() == FlowArchive.BeanDiscovery.OFF && !named.isEmpty()
                    ? ", not registered: bean-discovery-mode none" : "";
            listed.add(archive.name() + " (" + (named.isEmpty() ? "no flow" : String.join(", ", named)) + off + ")");
        }
        if (archives.isEmpty()) {
            LogFields.log(LOG, Level.WARNING, "flows dir " + flows.folder() + " holds no JAR",
                    "flows_dir", flows.folder().toString(), "jars", jars);
            return;
        }
        LogFields.log(LOG, Level.INFO, "flows dir " + flows.folder() + ": " + String.join("; ", listed),
                "flows_dir", flows.folder().toString(), "jars", jars);
    }

    void vetoExamples(@Observes @WithAnnotations(Flow.class) ProcessAnnotatedType<?> type) {
        Class<?> javaClass = type.getAnnotatedType().getJavaClass();
        if (!examples && javaClass.isAnnotationPresent(Flow.class) && javaClass.getPackageName().equals(EXAMPLES_PACKAGE)) {
            type.veto();
            examplesLeftOut.add(named(javaClass));
        }
    }

    /** A flow is a bean CDI made of a {@code @Flow} class: a vetoed class never is one. */
    void collect(@Observes ProcessManagedBean<?> bean) {
        Class<?> javaClass = bean.getAnnotatedBeanClass().getJavaClass();
        if (javaClass.isAnnotationPresent(Flow.class)) {
            flowClasses.putIfAbsent(javaClass, archiveName(javaClass));
        }
    }

    void reportExamples(@Observes AfterTypeDiscovery event) {
        if (!examplesLeftOut.isEmpty()) {
            examplesLeftOut.sort(null); // CDI meets them in no fixed order
            LogFields.log(LOG, Level.INFO, "shipped examples left out (" + EXAMPLES_KEY + "=false): "
                    + String.join(", ", examplesLeftOut), "flows", List.copyOf(examplesLeftOut));
        }
    }

    void select(@Observes AfterDeploymentValidation event) {
        try {
            selection = FlowSelection.select(flowClasses, ConfigProvider.getConfig());
        } catch (RuntimeException e) {
            event.addDeploymentProblem(e);
        }
    }

    /**
     * The flows the service would register with this configuration, found without starting CDI or
     * the server (what {@code verify} checks the database against): the same three places, read
     * with the same reader (the bean archives CDI reads itself, that is every
     * {@code META-INF/beans.xml} the service's class loader sees but its own libraries'; the JARs of
     * {@code flowguard.flows.dir}; class path entries a deployer added without {@code beans.xml}),
     * each {@code @Flow} class kept only where CDI would make it a bean (its archive's
     * {@code beans.xml} does not say {@code none}; the class is concrete, top level or static, not
     * {@code @Vetoed}; not a shipped example with {@value #EXAMPLES_KEY}{@code =false}), then narrowed
     * by {@link FlowSelection} as at startup. Classes are loaded, not initialised.
     *
     * @param config the configuration the service would start with
     * @return the flows, validated as at startup; their steps cannot run (no instance is made)
     * @throws RuntimeException naming the setting, flow, step or role when the service would not start
     */
    public static FlowRegistry registryWithoutContainer(Config config) {
        boolean examples = config.getOptionalValue(EXAMPLES_KEY, Boolean.class).orElse(true);
        ClassLoader serviceLoader = FlowDiscovery.class.getClassLoader();
        ServiceLibraries libraries = ServiceLibraries.ofThisBuild();
        Map<Class<?>, String> found = new LinkedHashMap<>();
        // the bean archives CDI reads itself: every META-INF/beans.xml the class loader sees (the
        // service's own libraries hold no flow, and are not read)
        for (Path archive : beanArchives(serviceLoader)) {
            if (!libraries.isLibrary(archive)) {
                beans(FlowArchiveReader.read(archive), serviceLoader, examples, found);
            }
        }
        Optional<Path> folder = FlowsDirectory.configured(config);
        if (folder.isPresent()) {
            FlowsDirectory flows = FlowsDirectory.open(folder.get(), serviceLoader);
            flows.jars().forEach(jar -> beans(FlowArchiveReader.read(jar), flows.loader(), examples, found));
        }
        for (Path entry : libraries.added(System.getProperty("java.class.path", ""))) {
            FlowArchive archive;
            try {
                archive = FlowArchiveReader.read(entry);
            } catch (IllegalStateException e) {
                continue; // not a JAR of classes: the service skips it too
            }
            if (archive.discovery() == FlowArchive.BeanDiscovery.NO_BEANS_XML) { // bean archives were read above
                beans(archive, serviceLoader, examples, found);
            }
        }
        FlowSelection selection = FlowSelection.select(found, config);
        List<FlowDefinition> definitions = new ArrayList<>();
        for (Class<?> type : selection.flows()) {
            definitions.add(FlowGraphBuilder.build(type, null, selection.roles()));
        }
        return new FlowRegistry(definitions, selection.roles());
    }

    /** @return the JAR or class folder of every {@code META-INF/beans.xml} the loader sees, in its order */
    private static List<Path> beanArchives(ClassLoader loader) {
        List<Path> archives = new ArrayList<>();
        try {
            for (java.net.URL url : java.util.Collections.list(loader.getResources("META-INF/beans.xml"))) {
                String text = url.toString();
                Path root;
                if (text.startsWith("jar:file:") && text.contains("!/")) {
                    root = Path.of(java.net.URI.create(text.substring(4, text.indexOf("!/"))));
                } else if (url.getProtocol().equals("file")) {
                    root = Path.of(url.toURI()).getParent().getParent();
                } else {
                    continue; // not a file this reader can open; no flow of ours is packaged so
                }
                if (!archives.contains(root)) {
                    archives.add(root);
                }
            }
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot list the bean archives: " + e.getMessage(), e);
        }
        return archives;
    }

    /** Adds the archive's flow classes CDI would make beans of (nothing when its beans.xml says none). */
    private static void beans(FlowArchive archive, ClassLoader loader, boolean examples, Map<Class<?>, String> found) {
        if (archive.discovery() == FlowArchive.BeanDiscovery.OFF) {
            return;
        }
        for (FlowArchive.FlowClass flow : archive.flows()) {
            Class<?> type = load(archive, flow.className(), loader);
            boolean example = type.getPackageName().equals(EXAMPLES_PACKAGE);
            if (isBean(type) && (examples || !example)) {
                found.putIfAbsent(type, archive.name());
            }
        }
    }

    /** CDI's rule for a managed bean class, as far as a {@code @Flow} class can break it. */
    private static boolean isBean(Class<?> type) {
        int modifiers = type.getModifiers();
        Package pkg = type.getPackage();
        return !type.isAnnotationPresent(Vetoed.class) && (pkg == null || !pkg.isAnnotationPresent(Vetoed.class))
                && !type.isInterface() && !Modifier.isAbstract(modifiers) && !type.isAnonymousClass()
                && !type.isLocalClass() && (type.getEnclosingClass() == null || Modifier.isStatic(modifiers));
    }

    /** @return the flows this instance registers and the configured agent roles */
    FlowSelection selection() {
        if (selection == null) {
            throw new IllegalStateException("flows are selected once the deployment is validated");
        }
        return selection;
    }

    /** @return every discovered flow class */
    public List<Class<?>> flowClasses() {
        return List.copyOf(flowClasses.keySet());
    }

    /**
     * @param flowClass a discovered flow class
     * @return the name of the JAR (or class folder) it came from, for operators' logs
     */
    public String archiveOf(Class<?> flowClass) {
        return flowClasses.getOrDefault(flowClass, archiveName(flowClass));
    }

    private static String named(Class<?> flowClass) {
        Flow flow = flowClass.getAnnotation(Flow.class);
        return flow.name() + " v" + flow.version();
    }

    private static String archiveName(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "unknown";
        }
        String path = source.getLocation().getPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
