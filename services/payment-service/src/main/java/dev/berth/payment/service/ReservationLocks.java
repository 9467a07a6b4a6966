package dev.berth.payment.service;

import dev.berth.support.idempotency.HolderLock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;

/**
 * Tells a live reservation of an Idempotency-Key from one a dead replica left behind ({@link HolderLock}): the request
 * that reserves a key holds the key's lock until its payment is recorded, so a request that finds a PENDING
 * reservation with its key's lock free knows the holder is gone; one that finds the lock taken knows the holder is
 * alive. The connections come from the pool {@code reservation-locks}.
 *
 * <p>Keys are hashed to 32 bits ({@link String#hashCode()}, fixed by the Java specification, so every replica
 * agrees) within a lock space of their own. Two keys sharing a lock cost one of them a 409 and a retry, never a
 * second payment: the unique key row, not the lock, makes one payment per key. Thread-safe.
 */
@ApplicationScoped
public class ReservationLocks {

    /** The lock space of Idempotency-Keys ("PAYK"): the two-key form never meets one-key locks such as Flyway's. */
    static final int KEY_SPACE = 0x5041594b;

    private final HolderLock locks;

    public ReservationLocks(@DataSource("reservation-locks") AgroalDataSource locks) {
        this.locks = new HolderLock(locks, KEY_SPACE);
    }

    /** The key's lock id within {@link #KEY_SPACE} (the {@code objid} of its row in {@code pg_locks}). */
    static int lockId(String key) {
        return key.hashCode();
    }

    /**
     * Takes the key's lock if it is free, without waiting. The caller must close the result: that frees the lock.
     *
     * @throws PersistenceException when the database cannot be reached
     */
    public HolderLock.Hold tryHold(String key) {
        return locks.tryHold(lockId(key));
    }
}
