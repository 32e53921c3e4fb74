package com.example.expenses;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who approves how much: a bean of the flow JAR itself, injected into the flow (the JAR needs no
 * {@code beans.xml} for that: the service reads a flows JAR as a bean archive).
 */
@ApplicationScoped
public class ExpensePolicy {

    /** Above this amount finance decides instead of the employee's manager. */
    static final long FINANCE_THRESHOLD = 5_000;

    /**
     * @param amount the claimed amount
     * @return the agent role that decides it
     */
    public String approverFor(long amount) {
        return amount > FINANCE_THRESHOLD ? "finance" : "manager";
    }
}
