package io.flowguard.engine;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What an engine does when, before its workers start, it finds unfinished executions this build
 * cannot run: their flow version is not registered, or a step they wait at or will run next is not
 * part of the registered version ({@link DeploymentCheck}). The service reads it from
 * {@value #KEY}; an embedder passes it to {@link Engine.Builder#onMissing}.
 */
public enum OnMissing {

    /** Refuse to start the workers, naming what is missing (the default): the deploy is stopped, nothing changed. */
    REFUSE("refuse"),
    /**
     * Fail those executions, once each, as the engine fails one it meets at run time
     * ({@code unknown_flow}, {@code unknown_step}), then start: the operator's explicit choice.
     */
    FAIL_EXECUTIONS("fail-executions");

    /** The configuration key of the service. */
    public static final String KEY = "flowguard.flows.on-missing";

    private final String value;

    OnMissing(String value) {
        this.value = value;
    }

    /** @return how the configuration spells it */
    public String value() {
        return value;
    }

    /**
     * @param value a configured value
     * @return the choice it names
     * @throws IllegalArgumentException naming the key and the allowed values when it names none
     */
    public static OnMissing parse(String value) {
        String wanted = value == null ? "" : value.strip();
        return Arrays.stream(values()).filter(choice -> choice.value.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(KEY + " must be one of " + allowed()
                        + ", was '" + wanted + "'"));
    }

    /** @return the allowed values, comma separated */
    public static String allowed() {
        return Arrays.stream(values()).map(OnMissing::value).collect(Collectors.joining(", "));
    }
}
