package dev.berth.platform.api.manifest;

import dev.berth.support.problem.Problem;
import java.util.ArrayList;
import java.util.List;

/** Collects field errors while a manifest is checked; paths are the manifest's own ({@code spec.replicas}). */
final class Violations {

    private final List<Problem.FieldError> errors = new ArrayList<>();
    private final String prefix;

    Violations(String prefix) {
        this.prefix = prefix;
    }

    void add(String path, String message) {
        errors.add(new Problem.FieldError(prefix + path, message));
    }

    void require(boolean ok, String path, String message) {
        if (!ok) {
            add(path, message);
        }
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    List<Problem.FieldError> errors() {
        return errors;
    }
}
