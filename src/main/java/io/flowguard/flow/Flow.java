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
 * the engine's registry of flows; {@link #name()} and {@link #version()} are the only things about it
 * ever stored in the database, never its class name.
 *
 * <p>A flow keeps what a caller gives apart from what its steps write: {@link #input()} is the
 * only shape a start is read into, and the engine builds the first {@link #state()} from it.
 * <pre>{@code
 * public record FeatureInput(@NotBlank String featureName, long estimatedCost) { }
 * public class FeatureRequest {               // the state: the input's fields and the decision
 *     public String featureName; public long estimatedCost; public String decision;
 *     public FeatureRequest() { }              // read back from the database
 *     public FeatureRequest(FeatureInput in) { featureName = in.featureName(); estimatedCost = in.estimatedCost(); }
 * }
 * }</pre>
 * and the flow is declared with
 * {@code @Flow(name = "feature-approval", input = FeatureInput.class, state = FeatureRequest.class)}.
 * A start carrying {@code decision} is then refused (400) before anything is written: the input
 * record has no such field.
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

    /**
     * @return what a caller may set when starting an execution: a record of exactly those fields,
     *         read strictly (any other field, such as one only a step writes, is a 400 that creates
     *         nothing) and validated with Bean Validation. The first state is built from it by the
     *         state type's public constructor taking this record, or it is the first state itself
     *         when {@link #state()} names the same record (every state field is then the caller's);
     *         startup refuses a flow with neither.
     */
    Class<? extends Record> input();

    /**
     * @return the state type: a record or class that JSON maps to and from, validated with Bean
     *         Validation; what the steps read and write, stored after every step (a class needs a
     *         no-argument constructor to be read back)
     */
    Class<?> state();

    /**
     * @return the outbound services its steps call through {@link StepContext#call}, by their
     *         configured names ({@code flowguard.services.<name>.url}); a flow naming a service
     *         that is not configured refuses startup, and a step cannot call one not named here
     */
    String[] services() default {};
}
