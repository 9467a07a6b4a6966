package dev.berth.platform.api.manifest;

import dev.berth.support.problem.Problem;
import dev.berth.support.problem.ProblemException;
import dev.berth.support.problem.ProblemType;
import java.util.List;

/** A manifest that cannot be applied: 400 naming every bad field, as {@code document[i].path}. */
public final class ManifestException extends ProblemException {

    public ManifestException(String detail, List<Problem.FieldError> errors) {
        super(ProblemType.VALIDATION, detail, errors);
    }
}
