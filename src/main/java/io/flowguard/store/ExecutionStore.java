package io.flowguard.store;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * Reads and writes {@link FlowExecution} rows, each call in its own JTA transaction unless the
 * caller already has one.
 *
 * <p>{@link #save} merges a detached copy: if the row moved on since the copy was read, the
 * {@code @Version} check fails the commit with an {@link jakarta.persistence.OptimisticLockException}
 * (a stale write never overwrites a newer one).
 */
@ApplicationScoped
public class ExecutionStore {

    @PersistenceContext(unitName = "flowguard")
    private EntityManager em;

    /**
     * @param execution a new execution
     * @return the persisted execution
     */
    @Transactional
    public FlowExecution insert(FlowExecution execution) {
        em.persist(execution);
        return execution;
    }

    /**
     * @param id an execution id
     * @return the execution as currently committed
     */
    @Transactional
    public Optional<FlowExecution> find(UUID id) {
        return Optional.ofNullable(em.find(FlowExecution.class, id));
    }

    /**
     * Writes a changed copy back, fenced by its version.
     *
     * @param execution a detached copy carrying the version it was read at
     * @return the saved execution with its new version
     */
    @Transactional
    public FlowExecution save(FlowExecution execution) {
        FlowExecution merged = em.merge(execution);
        em.flush();
        return merged;
    }
}
