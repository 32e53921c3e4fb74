package io.flowguard.store;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.inject.Qualifier;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * The configuration the persistence unit sees: only the keys meant for it ({@code hibernate.*},
 * {@code jakarta.persistence.*}, {@code javax.persistence.*}), read once.
 *
 * <p>Helidon's JPA integration hands the persistence unit, and every entity manager it creates,
 * a map of <em>every</em> MicroProfile Config key (system properties, environment variables and
 * all of ours). Hibernate copies each entry into the new session, one config lookup and one
 * {@code setProperty} each, once per transaction: work for nothing on the hot path (a profile of
 * the benchmark showed it; the throughput gain did not stand out of the machine's noise). It also
 * gave the database password and the JWT settings to a library that has no use for them and
 * may log its properties. Helidon looks this
 * {@link Config} up by the unit's name ({@code @Named("flowguard")}) before falling back to the
 * application's; {@link PersistenceUnitConfigProducer} makes it.
 *
 * <p>Values are taken when the container starts (MicroProfile Config here does not change after
 * that); non-string types are still converted by the application's config.
 */
final class PersistenceUnitConfig implements Config {

    /** The key prefixes Hibernate and Jakarta Persistence read. */
    static final List<String> PREFIXES = List.of("hibernate.", "jakarta.persistence.", "javax.persistence.");

    /** Marks this view so that it never satisfies a plain {@code @Inject Config}. */
    @Qualifier
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE})
    @interface View {
    }

    private final Config application;
    private final Map<String, String> values;

    PersistenceUnitConfig(Config application) {
        this.application = application;
        Map<String, String> taken = new TreeMap<>();
        for (String name : application.getPropertyNames()) {
            if (isForPersistence(name)) {
                application.getOptionalValue(name, String.class).ifPresent(v -> taken.put(name, v));
            }
        }
        this.values = Map.copyOf(taken);
    }

    static boolean isForPersistence(String name) {
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public <T> T getValue(String propertyName, Class<T> propertyType) {
        return getOptionalValue(propertyName, propertyType)
                .orElseThrow(() -> new NoSuchElementException("no persistence setting " + propertyName));
    }

    @Override
    public ConfigValue getConfigValue(String propertyName) {
        return values.containsKey(propertyName) ? application.getConfigValue(propertyName) : new Absent(propertyName);
    }

    @Override
    public <T> Optional<T> getOptionalValue(String propertyName, Class<T> propertyType) {
        String value = values.get(propertyName);
        if (value == null) {
            return Optional.empty();
        }
        if (propertyType == String.class || propertyType == Object.class) {
            return Optional.of(propertyType.cast(value));
        }
        return application.getConverter(propertyType).map(c -> c.convert(value));
    }

    @Override
    public Iterable<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public Iterable<ConfigSource> getConfigSources() {
        return application.getConfigSources();
    }

    @Override
    public <T> Optional<Converter<T>> getConverter(Class<T> forType) {
        return application.getConverter(forType);
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new IllegalArgumentException("the persistence unit's config view cannot be unwrapped to " + type);
    }

    /** What MicroProfile Config answers for a key it does not have: a value of {@code null}. */
    private record Absent(String getName) implements ConfigValue {

        @Override
        public String getValue() {
            return null;
        }

        @Override
        public String getRawValue() {
            return null;
        }

        @Override
        public String getSourceName() {
            return null;
        }

        @Override
        public int getSourceOrdinal() {
            return 0;
        }
    }
}
