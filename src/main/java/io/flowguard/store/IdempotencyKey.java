package io.flowguard.store;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * A caller's idempotency key for a start: scoped to its owner, remembering which execution it
 * created and a hash of the request, until it expires. The primary key (owner, key) is what
 * makes concurrent duplicate starts create exactly one execution.
 */
@Entity
@Table(name = "idempotency_key")
public class IdempotencyKey {

    @EmbeddedId
    private Id id;

    @Column(name = "request_hash", nullable = false, updatable = false, length = 64)
    private String requestHash;

    @Column(name = "execution_id", nullable = false, updatable = false)
    private UUID executionId;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false, updatable = false)
    private Instant expiresAt;

    /** For JPA. */
    protected IdempotencyKey() {
    }

    /**
     * @param owner       the caller
     * @param key         the caller's key
     * @param requestHash SHA-256 of the request, hex
     * @param executionId the execution the request created
     * @param now         when
     * @param expiresAt   when the key may be reused
     */
    public IdempotencyKey(String owner, String key, String requestHash, UUID executionId, Instant now, Instant expiresAt) {
        this.id = new Id(owner, key);
        this.requestHash = requestHash;
        this.executionId = executionId;
        this.createdAt = now;
        this.expiresAt = expiresAt;
    }

    public String requestHash() {
        return requestHash;
    }

    public UUID executionId() {
        return executionId;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** The composite key: owner and the caller's key. */
    @Embeddable
    public static class Id implements Serializable {
        private static final long serialVersionUID = 1L;

        @Column(name = "owner", nullable = false, updatable = false, length = 1024)
        private String owner;

        @Column(name = "idem_key", nullable = false, updatable = false, length = 255)
        private String key;

        /** For JPA. */
        protected Id() {
        }

        /**
         * @param owner the caller
         * @param key   the caller's key
         */
        public Id(String owner, String key) {
            this.owner = owner;
            this.key = key;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Id other && owner.equals(other.owner) && key.equals(other.key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(owner, key);
        }
    }
}
