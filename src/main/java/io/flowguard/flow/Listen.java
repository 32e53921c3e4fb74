package io.flowguard.flow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A step that runs after other steps finish or a router chooses a label.
 * Triggers name a step, a router label, or {@code <asking step>.timeout}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Listen {

    /** @return the triggers: step names, router labels, or {@code step.timeout} */
    String[] value();

    /** @return whether one trigger ({@link Join#ANY}) or all of them ({@link Join#ALL}) start this step */
    Join join() default Join.ANY;
}
