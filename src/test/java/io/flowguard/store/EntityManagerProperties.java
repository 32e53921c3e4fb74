package io.flowguard.store;

import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/** Reads what a container-managed entity manager was given, the way the engine's beans get theirs. */
@ApplicationScoped
public class EntityManagerProperties {

    @PersistenceContext(unitName = "flowguard")
    private EntityManager em;

    /** @return the properties of the entity manager of a new transaction */
    @Transactional
    public Map<String, Object> inTransaction() {
        return new TreeMap<>(em.getProperties());
    }

    /** @return the properties of the entity manager factory */
    public Map<String, Object> ofFactory() {
        return new TreeMap<>(em.getEntityManagerFactory().getProperties());
    }
}
