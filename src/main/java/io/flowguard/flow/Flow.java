package io.flowguard.flow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Stereotype;

/**
 * Marks a class as a flow. The class is discovered at build time (it is a CDI bean) and enters
 * the {@link FlowRegistry}; {@link #name()} and {@link #version()} are the only things about it
 * ever stored in the database, never its class name.
 */
@Stereotype
@Dependent
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Flow {

    /** @return the registered name: lower-case letters, digits and dashes, at most 100 characters */
    String name();

    /** @return the registered version (1 or more) */
    int version() default 1;

    /** @return the state type: a record or class that JSON maps to and from, validated with Bean Validation */
    Class<?> state();

    /**
     * @return the outbound services its steps call through {@link StepContext#call}, by their
     *         configured names ({@code flowguard.services.<name>.url}); a flow naming a service
     *         that is not configured refuses startup, and a step cannot call one not named here
     */
    String[] services() default {};
}
