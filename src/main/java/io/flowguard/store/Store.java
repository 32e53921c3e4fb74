package io.flowguard.store;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.FlushModeType;
import org.hibernate.Session;
import org.hibernate.SessionFactory;

/**
 * The engine's database: the persistence unit it bootstraps on a {@link DataSource}, the
 * transactions it demarcates, and the statements that decide correctness
 * ({@link StoreTransaction}, {@link LeaseStore}).
 *
 * <p>Transactions are resource-local and short: {@link #transaction} runs one unit of work on one
 * connection and commits it, or rolls it back when the work throws. No step's user code ever runs
 * inside one (the engine runs a step first, then commits its result). Listeners hear of a change
 * only once it committed.
 */
public final class Store implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Store.class.getName());

    private final DataSource dataSource;
    private final DatabaseVendor vendor;
    private final EntityManagerFactory units;
    private final CommitListener listener;

    private Store(DataSource dataSource, DatabaseVendor vendor, CommitListener listener) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.vendor = Objects.requireNonNull(vendor);
        this.listener = Objects.requireNonNull(listener);
        this.units = PersistenceUnit.open(dataSource, vendor);
    }

    /**
     * Opens the store; needs no connection yet.
     *
     * @param dataSource a connection pool (connections auto-commit when handed out)
     * @param vendor     which database it is
     * @param listener   told of committed changes
     * @return the store
     */
    public static Store open(DataSource dataSource, DatabaseVendor vendor, CommitListener listener) {
        return new Store(dataSource, vendor, listener);
    }

    /** @return which database this is */
    public DatabaseVendor vendor() {
        return vendor;
    }

    /** @return the data source the store runs on */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Runs one unit of work in one transaction: committed when it returns, rolled back when it
     * throws (the exception is rethrown). Listeners are told after the commit.
     *
     * @param work what to do
     * @param <T>  its result
     * @return what the work returned
     */
    public <T> T transaction(Function<StoreTransaction, T> work) {
        EntityManager em = units.createEntityManager();
        try {
            em.unwrap(Session.class).setDefaultReadOnly(true);
            em.setFlushMode(FlushModeType.COMMIT);
            EntityTransaction tx = em.getTransaction();
            tx.begin();
            StoreTransaction store = new StoreTransaction(em, listener);
            T result;
            try {
                result = work.apply(store);
                tx.commit();
            } catch (RuntimeException | Error e) {
                if (tx.isActive()) {
                    try {
                        tx.rollback();
                    } catch (RuntimeException rollbackFailed) {
                        e.addSuppressed(rollbackFailed);
                    }
                }
                throw e;
            }
            for (Runnable action : store.afterCommit()) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.warning("a commit listener failed: " + OneLineError.of(e));
                }
            }
            return result;
        } finally {
            em.close();
        }
    }

    /**
     * Creates the owner's quota counter at zero, in its own transaction, which fails harmlessly
     * when a concurrent first start created it.
     *
     * @param owner the subject
     * @param now   the current time
     */
    public void createQuota(String owner, Instant now) {
        try {
            transaction(tx -> {
                tx.createQuota(owner, now);
                return null;
            });
        } catch (RuntimeException e) {
            if (!createdConcurrently(e)) {
                throw e; // e.g. the database went away: the caller sees that, not a missing row
            }
            // Another first start by the same owner created the row: the caller's retry uses it.
        }
    }

    private static boolean createdConcurrently(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Has Hibernate compare every mapped table and column with the database.
     *
     * @throws org.hibernate.tool.schema.spi.SchemaManagementException when they differ
     */
    public void validateSchema() {
        units.unwrap(SessionFactory.class).getSchemaManager().validateMappedObjects();
    }

    @Override
    public void close() {
        units.close();
    }
}
