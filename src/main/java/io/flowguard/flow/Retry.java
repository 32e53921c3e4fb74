package io.flowguard.flow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A step's retry policy when it throws: up to {@link #maxAttempts()} runs in all, waiting
 * {@code initialDelayMillis * multiplier^(n-1)} (capped at {@link #maxDelayMillis()}) before run
 * n+1. Without this annotation the engine's default policy applies.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Retry {

    /** @return total runs including the first, 1 to 20 */
    int maxAttempts() default 3;

    /** @return the wait before the second run */
    long initialDelayMillis() default 500;

    /** @return the growth of each further wait, 1.0 or more */
    double multiplier() default 2.0;

    /** @return the longest wait */
    long maxDelayMillis() default 60_000;
}
