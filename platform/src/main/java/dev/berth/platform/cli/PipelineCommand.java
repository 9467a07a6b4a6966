package dev.berth.platform.cli;

import dev.berth.platform.api.manifest.ManifestException;
import dev.berth.platform.api.manifest.ManifestReader;
import dev.berth.platform.pipeline.ManifestPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth pipeline …}: the CI/CD stages that run the same on a laptop and in GitHub Actions. */
@Command(name = "pipeline", description = "CI/CD pipeline stages.", subcommands = PipelineCommand.Validate.class)
final class PipelineCommand {

    @Command(name = "validate", description = {"Check manifests against the deploy policy: probes, requests/limits, non-root, "
            + "images pinned by digest, no version label in selectors. Exit 1 and one line per violation when any fails.",
            "  berth pipeline validate -f target/pipeline/manifests.yaml"})
    static final class Validate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-f", "--filename"}, required = true, description = "manifest files (YAML/JSON, many documents each)")
        List<Path> files = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            ManifestReader reader = new ManifestReader(new KubernetesSerialization());
            int violations = 0;
            int objects = 0;
            for (Path f : files) {
                try {
                    var read = reader.read(Files.readString(f));
                    objects += read.size();
                    for (ManifestPolicy.Violation v : ManifestPolicy.check(read)) {
                        spec.commandLine().getOut().println(f + ": " + v);
                        violations++;
                    }
                } catch (ManifestException e) {
                    spec.commandLine().getErr().println(f + ": not valid manifests: " + e.getMessage());
                    return 2;
                }
            }
            spec.commandLine().getOut().println(violations == 0 ? "PASS " + objects + " objects" : "FAIL " + violations + " violation(s) in " + objects + " objects");
            return violations == 0 ? 0 : 1;
        }
    }
}
