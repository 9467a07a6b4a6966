package dev.berth.support.problem;

import jakarta.ws.rs.core.Response.Status;
import java.net.URI;

/**
 * The kinds of problem Berth services report; each has a stable type URI clients can switch on. A kind the
 * client should simply repeat later carries a {@code Retry-After} (seconds, RFC 9110 §10.2.3).
 */
public enum ProblemType {
    VALIDATION(Status.BAD_REQUEST, "validation-failed", "Request is invalid"),
    MALFORMED_BODY(Status.BAD_REQUEST, "malformed-body", "Request body is not valid JSON for this resource"),
    NOT_FOUND(Status.NOT_FOUND, "not-found", "Resource not found"),
    IDEMPOTENCY_CONFLICT(
            Status.CONFLICT, "idempotency-key-reused", "Idempotency-Key was already used with a different request"),
    // draft-ietf-httpapi-idempotency-key-header §2.6: a retry while the original is still being processed is a 409
    IDEMPOTENCY_IN_PROGRESS(Status.CONFLICT, "idempotency-key-in-progress",
            "A request with this Idempotency-Key is still being processed; repeat it later", 1),
    INVALID_STATE(Status.CONFLICT, "invalid-state", "Resource is not in a state that allows this action"),
    DEPENDENCY_UNAVAILABLE(Status.SERVICE_UNAVAILABLE, "dependency-unavailable", "A service this request needs is unavailable", 1),
    INTERNAL(Status.INTERNAL_SERVER_ERROR, "internal-error", "Internal server error");

    private static final String BASE = "https://berth.dev/problems/";

    private final Status status;
    private final URI uri;
    private final String title;
    private final int retryAfterSeconds;

    ProblemType(Status status, String slug, String title) {
        this(status, slug, title, 0);
    }

    ProblemType(Status status, String slug, String title, int retryAfterSeconds) {
        this.status = status;
        this.uri = URI.create(BASE + slug);
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Status status() {
        return status;
    }

    public URI uri() {
        return uri;
    }

    public String title() {
        return title;
    }

    /** Seconds a client should wait before repeating the same request; 0 when repeating it cannot help. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
