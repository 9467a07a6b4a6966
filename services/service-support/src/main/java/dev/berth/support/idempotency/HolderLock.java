package dev.berth.support.idempotency;

import io.agroal.api.AgroalDataSource;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Tells a live holder of a piece of work from one a dead replica left behind, with a PostgreSQL advisory lock.
 *
 * <p>The request at work holds the work's lock until it is done, in a transaction of its own on a connection of its
 * own ({@code pg_try_advisory_xact_lock}). PostgreSQL ends that transaction, and so frees the lock, when the connection
 * goes — at once when the replica's process dies, because the kernel closes its socket. So a request that finds the
 * work unfinished with its lock free knows the holder is gone; one that finds the lock taken knows the holder is alive.
 *
 * <p>Transaction-scoped rather than session-scoped, so whatever ends the transaction (the rollback in
 * {@link Hold#close()}, the pool resetting the connection, the connection dying) frees the lock: a session lock left
 * on a pooled connection would hold its work for as long as the pool kept the connection. The connections come from a
 * pool of the caller's, outside JTA: a holder keeps one for the whole of its work while that work takes connections of
 * the main pool, so holders sharing one pool could exhaust it and then all wait for their second connection.
 *
 * <p>A lock is named by a 32-bit space (one per kind of work, so kinds never meet, nor one-key locks such as Flyway's)
 * and a 32-bit id within it. Two pieces of work sharing an id cost one of them a wait or a retry; what makes the work
 * happen once must be something else (a unique row). Thread-safe.
 */
public final class HolderLock {

    private static final Logger LOG = Logger.getLogger(HolderLock.class);
    private static final Hold NOT_HELD = new Hold(null);

    private final AgroalDataSource locks;
    private final int space;

    /**
     * @param locks a pool of its own, with {@code jdbc.transactions=disabled}
     * @param space the kind of work (the {@code classid} of its locks in {@code pg_locks})
     */
    public HolderLock(AgroalDataSource locks, int space) {
        this.locks = locks;
        this.space = space;
    }

    /**
     * Takes the lock {@code id} if it is free, without waiting. The caller must close the result: that frees the lock.
     *
     * @throws PersistenceException when the database cannot be reached
     */
    public Hold tryHold(int id) {
        Connection connection = null;
        try {
            connection = locks.getConnection();
            connection.setAutoCommit(false);
            boolean taken;
            try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?, ?)")) {
                lock.setInt(1, space);
                lock.setInt(2, id);
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
            throw new PersistenceException("could not try an advisory lock", e);
        }
    }

    /** Ends the lock's transaction (which frees the lock) and gives the connection back to the pool. */
    private static void end(Connection connection) {
        try (connection) {
            connection.rollback();
        } catch (SQLException e) {
            // a broken connection: its session, and the lock with it, is already gone on the server, so another
            // request may have taken the work over while this one was still at it
            LOG.warnf("the connection holding an advisory lock broke: %s", e.getMessage());
        }
    }

    /** A lock, held or not; closing it frees a held lock. Not thread-safe. */
    public static final class Hold implements AutoCloseable {

        private Connection connection;

        private Hold(Connection connection) {
            this.connection = connection;
        }

        /** True if this request holds the lock: no live request holding the same lock runs. */
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
