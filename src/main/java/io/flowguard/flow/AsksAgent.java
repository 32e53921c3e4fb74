package io.flowguard.flow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the agent roles a step that returns {@link AgentAsk} may address, so that startup
 * checks them against {@code flowguard.agents}; asking any other role fails the step.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AsksAgent {

    /** @return the roles this step may ask */
    String[] value();

    /**
     * @return the shape of a valid answer: a record or class the answer's JSON must map to
     *         (strictly, then Bean Validation); {@code Object.class} accepts any JSON object
     */
    Class<?> answer() default Object.class;
}
