package io.flowguard.ops;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** An operator's external properties file overrides the packaged defaults; a wrong path stops startup. */
class ExternalConfigFileSourceTest {

    @TempDir
    Path temp;

    @AfterEach
    void clear() {
        System.clearProperty("flowguard.config.file");
    }

    @Test
    void namedFileIsReadAndRanksBetweenPackagedFilesAndEnvironment() throws Exception {
        Path file = Files.writeString(temp.resolve("flowguard.properties"), "flowguard.db.pool.max-size=42\n");
        System.setProperty("flowguard.config.file", file.toString());

        ExternalConfigFileSource source = new ExternalConfigFileSource();

        assertThat(source.getValue("flowguard.db.pool.max-size"), is("42"));
        assertThat(source.getValue("server.port"), nullValue());
        assertThat(source.getOrdinal(), greaterThan(100));
        assertThat(source.getOrdinal(), lessThan(300));
    }

    @Test
    void aNamedFileThatDoesNotExistStopsStartup() {
        System.setProperty("flowguard.config.file", temp.resolve("typo.properties").toString());

        IllegalStateException e = assertThrows(IllegalStateException.class, ExternalConfigFileSource::new);

        assertThat(e.getMessage(), containsString("typo.properties"));
    }

    @Test
    void withoutAFileTheSourceIsEmpty() {
        ExternalConfigFileSource source = new ExternalConfigFileSource();

        assertThat(source.getPropertyNames(), is(empty()));
    }
}
