package io.flowguard.flow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares, on a method of a flow's new version, how unfinished executions of an older version
 * move to this one: the method turns the old state into this version's state, and {@link #steps()}
 * renames the old version's steps (and waits) that this version calls otherwise.
 * <pre>
 * &#64;Flow(name = "expense-approval", version = 2, input = ExpenseInput.class, state = ExpenseV2.class)
 * public class ExpenseApprovalV2 {
 *     &#64;MigratesFrom(version = 1, steps = &#64;StepMapping(from = "askManager", to = "askLead"))
 *     ExpenseV2 fromV1(ExpenseV1 old) {
 *         return new ExpenseV2(old.item(), old.amount(), "EUR");
 *     }
 *     ...
 * }
 * </pre>
 *
 * <p>The parameter is the old state's shape: the stored JSON of each execution is read into it
 * (strictly: a field it lacks does not read), so a migration works once the old version's class
 * is gone; keep a copy of the old state type with the new version. The method returns this
 * version's state type, which is validated (Bean Validation and {@code flowguard.state.max-bytes})
 * before anything is written. It should be a pure function of the old state: a dry run calls it
 * too, and a real run may call it again for an execution that changed meanwhile.
 *
 * <p>A step the mapping does not name keeps its name: it moves to this version's step of the same
 * name. An execution whose queued or waiting step has no counterpart here, or whose open question
 * is addressed to a role its new step does not ask, does not move (the dry run says why). Steps
 * the old version already ran are not run again, and steps this version adds after triggers that
 * already fired do not run for a moved execution.
 *
 * <p>Checked at startup: the version is lower than this flow's, declared once, the method takes one
 * parameter and returns the state type, each mapping names a step of this version, and (when the
 * old version is registered too) a step of the old one, a waiting step mapped to a step that asks.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface MigratesFrom {

    /** @return the older version whose executions this method moves (lower than this flow's version) */
    int version();

    /** @return the old steps that have another name in this version (others keep their name) */
    StepMapping[] steps() default {};
}
