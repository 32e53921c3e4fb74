package io.flowguard.store;

import java.sql.SQLException;

/** A statement of the store failed; the {@link SQLException} is its cause (see {@link DatabaseOutage}). */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    StoreException(String what, SQLException cause) {
        super(what + ": " + cause.getMessage(), cause);
    }
}
