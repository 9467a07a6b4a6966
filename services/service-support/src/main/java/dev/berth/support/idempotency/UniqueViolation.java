package dev.berth.support.idempotency;

/** Recognises a database unique-constraint violation by constraint name, however deep it is wrapped. */
public final class UniqueViolation {

    private UniqueViolation() {}

    public static boolean of(Throwable failure, String constraintName) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException cve
                    && constraintName.equalsIgnoreCase(cve.getConstraintName())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
