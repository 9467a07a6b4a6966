package dev.berth.platform.engine;

import dev.berth.support.problem.Problem;
import java.util.List;

/** A refused engine call: an HTTP-like status (400, 404, 409, 503 …), a message and the fields at fault. */
public class EngineException extends RuntimeException {

    private final int status;
    private final List<Problem.FieldError> errors;

    public EngineException(int status, String message, List<Problem.FieldError> errors) {
        super(message, null, false, false);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public EngineException(int status, String message) {
        this(status, message, List.of());
    }

    public int status() {
        return status;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
