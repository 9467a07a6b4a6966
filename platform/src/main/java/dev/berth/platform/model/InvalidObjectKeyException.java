package dev.berth.platform.model;

/** A namespace or name that cannot identify an object (and so can never become a store path). */
public final class InvalidObjectKeyException extends IllegalArgumentException {

    private final String field;
    private final String problem;

    public InvalidObjectKeyException(String field, String value, String problem) {
        super(field + " '" + abbreviate(value) + "' is invalid: " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** {@code metadata.namespace} or {@code metadata.name}. */
    public String field() {
        return field;
    }

    /** What is wrong, in Kubernetes' words. */
    public String problem() {
        return problem;
    }

    private static String abbreviate(String value) {
        return value == null ? "" : value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
