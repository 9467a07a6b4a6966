package dev.berth.platform.store;

import dev.berth.platform.model.ObjectKey;

/** Why a store operation was refused; the API maps each to its HTTP status. */
public class StoreException extends RuntimeException {

    public enum Reason {
        NOT_FOUND,
        ALREADY_EXISTS,
        /** The caller's resourceVersion is not the stored one: someone else changed the object first. */
        CONFLICT,
        /** A namespace or name that cannot be a file name under the store's directory (400, naming {@link #field()}). */
        INVALID
    }

    private final Reason reason;
    private final ObjectKey key;
    private final String field;

    public StoreException(Reason reason, ObjectKey key, String message) {
        this(reason, key, null, message);
    }

    public StoreException(Reason reason, ObjectKey key, String field, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.key = key;
        this.field = field;
    }

    public Reason reason() {
        return reason;
    }

    /** The key refused, null when the refused name is not an object's (a pod's volume, a container). */
    public ObjectKey key() {
        return key;
    }

    /** The field whose value was refused, e.g. {@code metadata.name}; null unless {@link Reason#INVALID}. */
    public String field() {
        return field;
    }

    static StoreException notFound(ObjectKey key) {
        return new StoreException(Reason.NOT_FOUND, key, key + " not found");
    }
}
