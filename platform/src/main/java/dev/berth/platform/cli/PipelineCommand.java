package dev.berth.platform.cli;

import dev.berth.platform.api.manifest.ManifestException;
import dev.berth.platform.api.manifest.ManifestReader;
import dev.berth.platform.engine.Engine;
import dev.berth.platform.engine.KubernetesEngine;
import dev.berth.platform.pipeline.ImagePinning;
import dev.berth.platform.pipeline.ManifestPolicy;
import dev.berth.platform.pipeline.PipelineDefinition;
import dev.berth.platform.pipeline.PipelineException;
import dev.berth.platform.pipeline.PipelineRunner;
import dev.berth.platform.pipeline.RunReport;
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
@Command(name = "pipeline", description = "CI/CD pipeline stages.", subcommands = {PipelineCommand.Run.class, PipelineCommand.Manifests.class, PipelineCommand.Validate.class})
final class PipelineCommand {

    @Command(name = "run", description = {"Run the pipeline (ci/pipeline.yaml): build → test → image → manifests → validate → deploy → verify. "
            + "Shows each stage's progress, writes its log to target/pipeline/logs/, the report to target/pipeline/report.{json,md}; exits 1 when a stage fails.",
            "  berth pipeline run                      everything, on this machine (starts the core if it is not running)",
            "  berth pipeline run --from image          skip build and test",
            "  berth pipeline run --to validate         build, test, images and checked manifests; deploy nothing"})
    static final class Run implements Callable<Integer> {
        @CommandLine.ParentCommand
        PipelineCommand pipeline;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-f", "--filename"}, defaultValue = "ci/pipeline.yaml", description = "the pipeline (default ${DEFAULT-VALUE}); "
                + "its paths are relative to the directory above its own (the repository root)")
        Path definition;

        @Option(names = "--from", paramLabel = "STAGE", description = "start at this stage (its inputs must exist from an earlier run)")
        String from;

        @Option(names = "--to", paramLabel = "STAGE", description = "stop after this stage")
        String to;

        @Option(names = "--core-jar", defaultValue = "platform/target/quarkus-app/quarkus-run.jar", description = "the core to start for the local engine")
        Path coreJar;

        @Option(names = "--state", defaultValue = "${env:BERTH_STATE:-${sys:user.home}/.berth}")
        Path state;

        /** The core this run started for the local engine, if it did. */
        private CoreProcess startedCore;

        @Override
        public Integer call() throws Exception {
            String engine = pipeline.root.engineName;
            if (!engine.equals("local") && !engine.equals("kubernetes")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--engine must be local or kubernetes, not \"" + engine + "\"");
            }
            Path file = definition.toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new CommandLine.ParameterException(spec.commandLine(), definition + ": no such file");
            }
            PipelineDefinition parsed;
            try {
                parsed = PipelineDefinition.parse(Files.readString(file));
                parsed.between(from, to);
            } catch (PipelineException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), definition + ": " + e.getMessage());
            }
            Path root = file.getParent().getParent();
            Path artifacts = root.resolve("target").resolve("pipeline");
            BerthCli cli = pipeline.root;
            PipelineProgress progress = new PipelineProgress(spec.commandLine().getOut());
            PipelineRunner runner = new PipelineRunner(parsed, new PipelineRunner.Options(from, to, engine, root, artifacts, System.getenv()),
                    () -> engine(cli, root, engine), progress);
            progress.header(engine, root, from, to);
            RunReport report;
            try {
                report = runner.run();
            } finally {
                progress.close();
            }
            progress.summary(report, root.relativize(artifacts));
            if (startedCore != null) { // a core this run started: its class-data archive for the next start
                startedCore.writeArchive().ifPresent(line -> spec.commandLine().getOut().println("core: " + line));
            }
            return report.succeeded() ? 0 : 1;
        }

        /** The engine deploy and verify talk to: on this machine the core, started here (in the background) unless it runs. */
        private Engine engine(BerthCli cli, Path root, String engine) {
            if (engine.equals("kubernetes")) {
                try {
                    return KubernetesEngine.connect(cli.context);
                } catch (RuntimeException e) {
                    throw new PipelineException("cannot reach a Kubernetes cluster (KUBECONFIG, --context or in-cluster): " + e.getMessage());
                }
            }
            CoreProcess core = new CoreProcess(state, cli.server);
            if (!core.healthy()) {
                Path jar = coreJar.isAbsolute() ? coreJar : root.resolve(coreJar);
                if (!Files.exists(jar)) {
                    throw new PipelineException(jar + " is missing: run the build stage (or ./berth up) first");
                }
                Process p = core.start(jar, true);
                startedCore = core;
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
                while (!core.healthy()) {
                    if (!p.isAlive()) {
                        throw new PipelineException("the core exited while starting; see " + core.logFile());
                    }
                    if (System.nanoTime() > deadline) {
                        throw new PipelineException("the core is not ready after 90 s; see " + core.logFile());
                    }
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new PipelineException("interrupted while starting the core");
                    }
                }
            }
            return cli.local();
        }
    }

    @CommandLine.ParentCommand
    BerthCli root;

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
