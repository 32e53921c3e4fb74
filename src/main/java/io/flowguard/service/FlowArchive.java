package io.flowguard.service;

import java.nio.file.Path;
import java.util.List;

/**
 * A JAR (or class folder) that may hold flows, as read without loading any of its classes: its
 * {@code @Flow} classes, its other classes with a CDI scope annotation, and what its
 * {@code META-INF/beans.xml} says.
 *
 * @param location    where it is
 * @param flows       its classes annotated {@code @Flow}
 * @param beanClasses the binary names of its other classes annotated {@code @ApplicationScoped},
 *                    {@code @RequestScoped} or {@code @Dependent} (what a flow of it may inject)
 * @param discovery   what its {@code META-INF/beans.xml} says
 */
record FlowArchive(Path location, List<FlowClass> flows, List<String> beanClasses, BeanDiscovery discovery) {

    /**
     * A {@code @Flow} class, as its annotation names it.
     *
     * @param className its binary name
     * @param flow      the flow's registered name
     * @param version   its version
     */
    record FlowClass(String className, String flow, int version) {
        /** @return {@code name vN}, as the registry names a flow */
        @Override
        public String toString() {
            return flow + " v" + version;
        }
    }

    /** What an archive's {@code META-INF/beans.xml} says about CDI bean discovery. */
    enum BeanDiscovery {
        /** No {@code META-INF/beans.xml}: CDI would not look at the archive on its own. */
        NO_BEANS_XML,
        /** A {@code beans.xml} with discovery on ({@code annotated}, {@code all} or empty). */
        ON,
        /** {@code bean-discovery-mode="none"}: the archive says it holds no beans. */
        OFF
    }

    FlowArchive {
        flows = List.copyOf(flows);
        beanClasses = List.copyOf(beanClasses);
    }

    /** @return the file (or folder) name an operator recognises, e.g. {@code expense-flows-1.0.jar} */
    String name() {
        Path file = location.getFileName();
        return file == null ? location.toString() : file.toString();
    }
}
