package io.flowguard.store;

import io.flowguard.watch.ChangeSignals;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.persistence.PrePersist;

/**
 * JPA entity listener on the two rows every waited-for change writes: a history event (every
 * change to an execution appends one, see the engine's {@code History}) and an agent request. It
 * signals {@link ChangeSignals} on commit, so no call site can forget to. Hibernate creates it through CDI (Helidon
 * hands the persistence unit the bean manager), hence the injection.
 *
 * <p>{@code @PrePersist} runs when the row is handed to the entity manager, inside the active
 * transaction; a post-insert callback could run during the commit, too late to join it.
 */
@Dependent
public class ChangeListener {

    @Inject
    ChangeSignals signals;

    @PrePersist
    void persisting(Object row) {
        if (row instanceof ExecutionEvent event) {
            signals.changedOnCommit(ChangeSignals.execution(event.executionId()));
        } else if (row instanceof AgentRequest request) {
            signals.changedOnCommit(ChangeSignals.role(request.role()));
            signals.changedOnCommit(ChangeSignals.asked(request.executionId()));
        }
    }
}
