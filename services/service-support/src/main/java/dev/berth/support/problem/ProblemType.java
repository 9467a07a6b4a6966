package dev.berth.support.problem;

import jakarta.ws.rs.core.Response.Status;
import java.net.URI;

/** The kinds of problem Berth services report; each has a stable type URI clients can switch on. */
public enum ProblemType {
    VALIDATION(Status.BAD_REQUEST, "validation-failed", "Request is invalid"),
    MALFORMED_BODY(Status.BAD_REQUEST, "malformed-body", "Request body is not valid JSON for this resource"),
    NOT_FOUND(Status.NOT_FOUND, "not-found", "Resource not found"),
    IDEMPOTENCY_CONFLICT(
            Status.CONFLICT, "idempotency-key-reused", "Idempotency-Key was already used with a different request"),
    INVALID_STATE(Status.CONFLICT, "invalid-state", "Resource is not in a state that allows this action"),
    DEPENDENCY_UNAVAILABLE(Status.SERVICE_UNAVAILABLE, "dependency-unavailable", "A service this request needs is unavailable"),
    INTERNAL(Status.INTERNAL_SERVER_ERROR, "internal-error", "Internal server error");

    private static final String BASE = "https://berth.dev/problems/";

    private final Status status;
    private final URI uri;
    private final String title;

    ProblemType(Status status, String slug, String title) {
        this.status = status;
        this.uri = URI.create(BASE + slug);
        this.title = title;
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
}
