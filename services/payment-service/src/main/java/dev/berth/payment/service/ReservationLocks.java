package dev.berth.payment.service;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Tells a live reservation of an Idempotency-Key from one a dead replica left behind, with PostgreSQL advisory
 * locks.
 *
 * <p>The request that reserves a key holds the key's lock until its payment is recorded, in a transaction of its
 * own on a connection of its own ({@code pg_try_advisory_xact_lock}). PostgreSQL ends that transaction, and so
 * frees the lock, when the connection goes — at once when the replica's process dies, because the kernel closes
 * its socket. So a request that finds a PENDING reservation with its key's lock free knows the holder is gone;
 * one that finds the lock taken knows the holder is alive.
 *
 * <p>Transaction-scoped rather than session-scoped, so whatever ends the transaction (the rollback in
 * {@link Hold#close()}, the pool resetting the connection, the connection dying) frees the lock: a session lock
 * left on a pooled connection would hold its key for as long as the pool kept the connection. The connections come
 * from a pool of their own ({@code reservation-locks}, outside JTA): a holder keeps one for the whole processor
 * call while its reservation and its completion each take a connection of the main pool, so holders sharing one
 * pool could exhaust it and then all wait for their second connection.
 *
 * <p>Keys are hashed to 32 bits ({@link String#hashCode()}, fixed by the Java specification, so every replica
 * agrees) within a lock space of their own. Two keys sharing a lock cost one of them a 409 and a retry, never a
 * second payment: the unique key row, not the lock, makes one payment per key. Thread-safe.
 */
@ApplicationScoped
public class ReservationLocks {

    private static final Logger LOG = Logger.getLogger(ReservationLocks.class);

    /** The lock space of Idempotency-Keys ("PAYK"): the two-key form never meets one-key locks such as Flyway's. */
    static final int KEY_SPACE = 0x5041594b;

    private static final Hold NOT_HELD = new Hold(null);

    private final AgroalDataSource locks;

    public ReservationLocks(@DataSource("reservation-locks") AgroalDataSource locks) {
        this.locks = locks;
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
    public Hold tryHold(String key) {
        Connection connection = null;
        try {
            connection = locks.getConnection();
            connection.setAutoCommit(false);
            boolean taken;
            try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?, ?)")) {
                lock.setInt(1, KEY_SPACE);
                lock.setInt(2, lockId(key));
                try (ResultSet result = lock.executeQuery()) {
                    result.next();
                    taken = result.getBoolean(1);
                }
            }
            if (taken) {
                return new Hold(connection);
            }
            end(connection);
            return NOT_HELD;
        } catch (SQLException e) {
            if (connection != null) {
                end(connection);
            }
            throw new PersistenceException("could not try the lock of an Idempotency-Key", e);
        }
    }

    /** Ends the lock's transaction (which frees the lock) and gives the connection back to the pool. */
    private static void end(Connection connection) {
        try (connection) {
            connection.rollback();
        } catch (SQLException e) {
            // a broken connection: its session, and the lock with it, is already gone on the server, so a duplicate
            // may have taken the reservation over while this request was still at work
            LOG.warnf("the connection holding an Idempotency-Key lock broke: %s", e.getMessage());
        }
    }

    /** An Idempotency-Key's lock, held or not; closing it frees a held lock. Not thread-safe. */
    public static final class Hold implements AutoCloseable {

        private Connection connection;

        private Hold(Connection connection) {
            this.connection = connection;
        }

        /** True if this request holds the key's lock: no live request with the key (or a colliding one) runs. */
        public boolean held() {
            return connection != null;
        }

        /** Frees the lock; idempotent. */
        @Override
        public void close() {
            if (connection != null) {
                end(connection);
                connection = null;
            }
        }
    }
}
