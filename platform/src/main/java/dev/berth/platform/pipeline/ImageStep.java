package dev.berth.platform.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code step: image}: builds and pushes the images that need it and reuses the others, as Jib reuses layers. Per
 * image ({@code with.images}) the sources are the shared ones ({@code with.sources}: the parent pom, the wrapper, the
 * shared library) and its own ({@code with.sources-<image>}, by default {@code services/<image>}), fingerprinted from
 * git. An image whose sources are those of the last build this step recorded, and whose digest is still in the
 * registry, is reused as it is; the command ({@code with.command}, ci/images.sh: Jib, which skips every layer the
 * registry has) builds only the others, named in {@code BERTH_IMAGE_SERVICES}. With nothing to build the step is
 * skipped. It leaves {@code outputs.digests} (digests.txt) and {@code outputs.images} (images.json: digest, size, bytes
 * pushed) for every image, built or reused.
 */
final class ImageStep implements Step {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Outcome run(StageContext context) throws Exception {
        String command = context.with("command", "ci/images.sh");
        List<String> images = words(context.with("images", "order-service payment-service"));
        List<String> shared = words(context.with("sources", "pom.xml"));
        Path digests = context.output("digests");
        Path imagesJson = context.output("images");
        Path stateFile = context.artifacts().resolve("state").resolve("image-" + context.stage().name() + ".json");
        ObjectNode state = Files.exists(stateFile) ? (ObjectNode) JSON.readTree(stateFile.toFile()) : JSON.createObjectNode();

        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, JsonNode> reused = new LinkedHashMap<>();
        List<String> build = new ArrayList<>();
        for (String image : images) {
            List<String> sources = new ArrayList<>(shared);
            sources.addAll(words(context.with("sources-" + image, "services/" + image)));
            context.say(image + ": fingerprinting " + String.join(" ", sources));
            String fingerprint = SourceFingerprint.of(context.root(), sources);
            String key = fingerprint == null ? null : fingerprint + " " + command;
            keys.put(image, key);
            JsonNode last = state.path(image);
            if (key != null && key.equals(last.path("key").asText(null))) {
                String reference = last.path("image").path("repository").asText() + "@" + last.path("image").path("digest").asText();
                if (inRegistry(context, reference)) {
                    context.say(image + ": sources unchanged since its last build, " + reference + " is in the registry: reused");
                    reused.put(image, last);
                    continue;
                }
                context.say(image + ": sources unchanged, but the registry lacks " + reference + ": building again");
            } else {
                context.say(image + (key == null ? ": not in a git work tree, cannot tell what changed: building" : ": sources changed: building"));
            }
            build.add(image);
        }

        Map<String, JsonNode> built = new LinkedHashMap<>();
        if (!build.isEmpty()) {
            Files.deleteIfExists(digests);
            Files.deleteIfExists(imagesJson);
            new CommandStep().runCommand(context, command, Map.of("BERTH_IMAGE_SERVICES", String.join(" ", build)));
            if (!Files.exists(digests) || !Files.exists(imagesJson)) {
                throw new StepFailedException(command + " did not write " + (Files.exists(digests) ? imagesJson : digests));
            }
            Map<String, String> lines = new LinkedHashMap<>();
            for (String line : Files.readAllLines(digests)) {
                if (!line.isBlank()) {
                    lines.put(line.trim().split("\\s+")[0], line.trim());
                }
            }
            for (JsonNode i : JSON.readTree(imagesJson.toFile())) {
                String name = i.path("service").asText();
                if (build.contains(name)) {
                    built.put(name, JSON.createObjectNode().put("key", keys.get(name)).put("line", lines.get(name)).set("image", i));
                }
            }
            List<String> missing = build.stream().filter(b -> !built.containsKey(b) || built.get(b).path("line").isNull()).toList();
            if (!missing.isEmpty()) {
                throw new StepFailedException(command + " built no image for " + String.join(", ", missing));
            }
        }

        // the outputs name every image, built or reused, in the order of with.images
        StringBuilder digestLines = new StringBuilder();
        ArrayNode all = JSON.createArrayNode();
        for (String image : images) {
            JsonNode entry = built.containsKey(image) ? built.get(image) : reused.get(image);
            digestLines.append(entry.path("line").asText()).append('\n');
            ObjectNode i = entry.path("image").deepCopy();
            boolean wasReused = reused.containsKey(image);
            if (wasReused) {
                i.put("previousDigest", i.path("digest").asText()).put("pushedBytes", 0);
            }
            all.add(i);
            context.state().image(new RunState.Image(image, i.path("repository").asText() + "@" + i.path("digest").asText(),
                    i.hasNonNull("bytes") ? i.get("bytes").asLong() : null, i.hasNonNull("pushedBytes") ? i.get("pushedBytes").asLong() : null,
                    wasReused || i.path("digest").asText().equals(i.path("previousDigest").asText())));
            if (keys.get(image) != null && built.containsKey(image)) {
                state.set(image, built.get(image));
            }
        }
        StageContext.ensureParent(digests);
        Files.writeString(digests, digestLines.toString());
        StageContext.ensureParent(imagesJson);
        JSON.writerWithDefaultPrettyPrinter().writeValue(imagesJson.toFile(), all);
        StageContext.ensureParent(stateFile);
        JSON.writerWithDefaultPrettyPrinter().writeValue(stateFile.toFile(), state);

        if (build.isEmpty()) {
            return Outcome.skipped("sources unchanged since the last build of each image, all " + images.size()
                    + " in the registry: nothing built or pushed");
        }
        long pushed = context.state().images().stream().mapToLong(i -> i.pushedBytes() == null ? 0 : i.pushedBytes()).sum();
        return Outcome.succeeded("built " + String.join(", ", build) + " (" + Sizes.human(pushed) + " pushed)"
                + (reused.isEmpty() ? "" : "; reused " + String.join(", ", reused.keySet()) + " (sources unchanged)"));
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    /** Whether skopeo finds the reference (a registry that was wiped or garbage-collected does not have it). */
    private static boolean inRegistry(StageContext context, String reference) throws Exception {
        String host = reference.substring(0, reference.indexOf('/'));
        boolean local = host.startsWith("127.0.0.1:") || host.startsWith("localhost:");
        String tls = context.with("tls-verify", local ? "false" : "true");
        context.status("checking " + reference + " in the registry");
        Process p = new ProcessBuilder("skopeo", "inspect", "--raw", "--tls-verify=" + tls, "docker://" + reference)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor() == 0;
    }
}
