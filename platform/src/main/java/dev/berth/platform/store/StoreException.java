package dev.berth.platform.store;

import dev.berth.platform.model.ObjectKey;

/** Why a store operation was refused; the API maps each to its HTTP status. */
public class StoreException extends RuntimeException {

    public enum Reason {
        NOT_FOUND,
        ALREADY_EXISTS,
        /** The caller's resourceVersion is not the stored one: someone else changed the object first. */
        CONFLICT
    }

    private final Reason reason;
    private final ObjectKey key;

    public StoreException(Reason reason, ObjectKey key, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.key = key;
    }

    public Reason reason() {
        return reason;
    }

    public ObjectKey key() {
        return key;
    }

    static StoreException notFound(ObjectKey key) {
        return new StoreException(Reason.NOT_FOUND, key, key + " not found");
    }
}
