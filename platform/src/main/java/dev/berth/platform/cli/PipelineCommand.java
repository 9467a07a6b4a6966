package dev.berth.platform.cli;

import dev.berth.platform.api.manifest.ManifestException;
import dev.berth.platform.api.manifest.ManifestReader;
import dev.berth.platform.pipeline.ImagePinning;
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
@Command(name = "pipeline", description = "CI/CD pipeline stages.", subcommands = {PipelineCommand.Manifests.class, PipelineCommand.Validate.class})
final class PipelineCommand {

    @Command(name = "manifests", description = {"Pin every image the image stage built to its digest (from ci/images.sh's digests.txt) "
            + "and write the manifests to deploy: what is deployed is exactly what was built.",
            "  berth pipeline manifests -f target/berth/app.yaml --digests target/images/digests.txt -o target/pipeline/manifests.yaml"})
    static final class Manifests implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-f", "--filename"}, required = true, description = "rendered manifests (YAML/JSON)")
        List<Path> files = new ArrayList<>();

        @Option(names = "--digests", required = true, description = "<service> <repository>@sha256:<digest> per line")
        Path digests;

        @Option(names = {"-o", "--output"}, required = true, description = "where the pinned manifests go")
        Path output;

        @Override
        public Integer call() throws Exception {
            KubernetesSerialization json = new KubernetesSerialization();
            ManifestReader reader = new ManifestReader(json);
            java.util.Map<String, String> built;
            try {
                built = ImagePinning.parseDigests(Files.readString(digests));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), digests + ": " + e.getMessage());
            }
            List<io.fabric8.kubernetes.api.model.HasMetadata> objects = new ArrayList<>();
            for (Path f : files) {
                objects.addAll(reader.read(Files.readString(f)));
            }
            for (ImagePinning.Pinned p : ImagePinning.pin(objects, built)) {
                spec.commandLine().getOut().println("pinned " + p.object() + " " + p.path() + ": " + p.from() + " -> " + p.to());
            }
            Files.createDirectories(output.toAbsolutePath().getParent());
            Files.writeString(output, String.join("", objects.stream().map(json::asYaml).toList()));
            spec.commandLine().getOut().println("wrote " + objects.size() + " objects to " + output);
            return 0;
        }
    }

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
