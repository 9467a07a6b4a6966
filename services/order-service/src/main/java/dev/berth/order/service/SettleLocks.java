package dev.berth.order.service;

import dev.berth.support.idempotency.HolderLock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.util.UUID;

/**
 * Tells the request that placed an order and is paying it now from one that died doing so ({@link HolderLock}): the
 * placing request holds its order's lock until the payment's answer is recorded, so a retry of the same request (same
 * Idempotency-Key) that finds the order PENDING with its lock free knows the placer is gone and pays it itself, where it
 * would otherwise answer PENDING and leave the order to the reconciler once the placer's lease ends. The connections
 * come from the pool {@code settle-locks}. Orders are hashed to 32 bits (the {@link String#hashCode()} of the id,
 * fixed by the Java specification) within a space of their own; two orders sharing a lock cost a retry its shortcut,
 * never a second charge (payment-service's Idempotency-Key makes one payment per order). Thread-safe.
 */
@ApplicationScoped
public class SettleLocks {

    /** The lock space of orders being paid ("ORDP"). */
    static final int ORDER_SPACE = 0x4f524450;

    private final HolderLock locks;

    public SettleLocks(@DataSource("settle-locks") AgroalDataSource locks) {
        this.locks = new HolderLock(locks, ORDER_SPACE);
    }

    /**
     * Takes the order's lock if it is free, without waiting. The caller must close the result: that frees the lock.
     *
     * @throws PersistenceException when the database cannot be reached
     */
    public HolderLock.Hold tryHold(UUID order) {
        return locks.tryHold(order.toString().hashCode());
    }
}
