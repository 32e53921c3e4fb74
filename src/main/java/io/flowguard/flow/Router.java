package io.flowguard.flow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A step that runs after {@link #after()} and returns one of {@link #labels()}; listeners on
 * that label run next. Declaring the labels lets startup prove every label has a listener; a
 * router returning an undeclared label fails its step.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Router {

    /** @return the step this router follows */
    String after();

    /** @return every label this router may return */
    String[] labels();
}
