package io.flowguard.ops;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * An operator's own properties file, named by {@code -Dflowguard.config.file} or the
 * {@code FLOWGUARD_CONFIG_FILE} environment variable, overriding the built-in configuration
 * (ordinal {@value #ORDINAL}: above the packaged files, below environment variables and
 * system properties).
 *
 * <p>A named file that does not exist or cannot be read stops startup: running on defaults
 * because of a typo in a path is how production ends up on an embedded database.
 */
public class ExternalConfigFileSource implements ConfigSource {

    /** Above microprofile-config.properties (100) and its profile files, below env (300). */
    static final int ORDINAL = 250;

    private final Map<String, String> properties;
    private final String name;

    /** Loaded by the MicroProfile Config service loader. */
    public ExternalConfigFileSource() {
        String file = System.getProperty("flowguard.config.file", System.getenv("FLOWGUARD_CONFIG_FILE"));
        if (file == null || file.isBlank()) {
            this.properties = Map.of();
            this.name = "flowguard-external-file(none)";
            return;
        }
        this.properties = load(Path.of(file));
        this.name = "flowguard-external-file(" + file + ")";
    }

    private static Map<String, String> load(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the configuration file " + file
                    + " named by FLOWGUARD_CONFIG_FILE / flowguard.config.file: " + e.getClass().getSimpleName());
        }
        Map<String, String> map = new HashMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
        return Collections.unmodifiableMap(map);
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
