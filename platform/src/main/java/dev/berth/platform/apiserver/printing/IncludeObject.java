package dev.berth.platform.apiserver.printing;

/** What each row's {@code object} carries: the {@code includeObject} query parameter of a Table request. */
public enum IncludeObject {
    /** {@code "object": null}. */
    NONE("None"),
    /** A {@code meta.k8s.io/v1 PartialObjectMetadata}: what kubectl asks for, and the default. */
    METADATA("Metadata"),
    /** The whole object. */
    OBJECT("Object");

    private final String value;

    IncludeObject(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /**
     * The query parameter's value; absent or empty means {@link #METADATA}, as in kube-apiserver.
     *
     * @throws IllegalArgumentException with kube-apiserver's BadRequest message for any other value
     */
    public static IncludeObject parse(String value) {
        if (value == null || value.isEmpty()) {
            return METADATA;
        }
        for (IncludeObject i : values()) {
            if (i.value.equals(value)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unrecognized includeObject value: \"" + value + "\"");
    }
}
