package io.flowguard.flow;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One old step and its counterpart in the new version, in a {@link MigratesFrom}: an execution
 * queued at, waiting at or done with {@link #from()} is, after the migration, queued at, waiting
 * at or done with {@link #to()}; the agent requests of the old step become the new step's.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface StepMapping {

    /** @return the step's name in the old version */
    String from();

    /** @return its counterpart, a step of the new version (a waiting step's counterpart must ask) */
    String to();
}
