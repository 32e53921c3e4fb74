package io.flowguard.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The largest request body a resource method reads; {@link RequestSizeFilter} refuses a larger
 * one with 413 before anything is parsed. Methods without it accept {@link #DEFAULT} bytes.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface BodyLimit {

    /** Bytes a method without the annotation accepts. */
    long DEFAULT = 4096;

    /** @return bytes allowed */
    long value();

    /** @return true to add the configured state cap ({@code flowguard.state.max-bytes}) to {@link #value()} */
    boolean plusStateCap() default false;
}
