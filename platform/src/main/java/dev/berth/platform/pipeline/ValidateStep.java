package dev.berth.platform.pipeline;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code step: validate}: the deploy policy ({@link ManifestPolicy}) over {@code inputs.manifests}. Every violation
 * goes to the log and to {@code violations.txt} beside the report, with the object and field path; any fails the run.
 */
final class ValidateStep implements Step {

    @Override
    public Outcome run(StageContext context) throws Exception {
        Path manifests = context.input("manifests");
        List<HasMetadata> objects = ManifestsStep.read(Files.readString(manifests), manifests.toString(), context.engineName());
        List<ManifestPolicy.Violation> violations = ManifestPolicy.check(objects);
        Path report = context.artifacts().resolve("violations.txt");
        StageContext.ensureParent(report);
        Files.writeString(report, String.join("", violations.stream().map(v -> v + "\n").toList()));
        violations.forEach(v -> context.log().println(v));
        if (!violations.isEmpty()) {
            throw new StepFailedException(violations.size() + " policy violation(s), first: " + violations.get(0)
                    + " (all in " + context.root().relativize(report.toAbsolutePath()) + ")");
        }
        return Outcome.succeeded(objects.size() + " objects pass the deploy policy (probes, requests/limits, non-root, digests, selectors)");
    }
}
