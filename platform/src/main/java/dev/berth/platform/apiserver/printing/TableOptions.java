package dev.berth.platform.apiserver.printing;

/**
 * {@code metav1.TableOptions}: what rows carry, and whether the column definitions are left out. kube-apiserver
 * leaves them out of every watch event after the first; a plain list or get always has them.
 */
public record TableOptions(IncludeObject includeObject, boolean noHeaders) {

    public TableOptions {
        if (includeObject == null) {
            throw new IllegalArgumentException("includeObject must be set");
        }
    }

    public static TableOptions of(IncludeObject includeObject) {
        return new TableOptions(includeObject, false);
    }

    public TableOptions withoutHeaders() {
        return new TableOptions(includeObject, true);
    }
}
