package io.flowguard.service;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.flowguard.testing.ProductClassPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Of a class path, only what the deployer added is read for flows: not Flowguard itself, not one
 * of the libraries its build lists, not an entry that does not exist.
 */
class ServiceLibrariesTest {

    @Test
    void onlyTheEntriesADeployerAddedAreReadForFlows(@TempDir Path dir) throws Exception {
        List<Path> product = ProductClassPath.entries();
        Path team = Files.createFile(dir.resolve("expense-flows.jar"));
        Path missing = dir.resolve("gone.jar");
        String classPath = String.join(File.pathSeparator, product.stream().map(Path::toString).toList())
                + File.pathSeparator + team + File.pathSeparator + missing;
        assertThat(product.size() > 100, is(true)); // the service's libraries, all of them known
        assertThat(ServiceLibraries.ofThisBuild().added(classPath), is(List.of(team.toAbsolutePath())));
    }
}
