package dev.berth.platform.pipeline;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline's {@code manifests} stage: every container image whose repository the image stage built is
 * replaced by that build's digest reference ({@code repo@sha256:…}), so what is deployed is exactly what was built
 * and tested, whatever tag the manifest named. Images of other repositories are left alone (the validate stage
 * then names them). Mutates the given objects; returns what it changed.
 */
public final class ImagePinning {

    /** @param path the container's field path; {@code from} the manifest's image, {@code to} the digest reference */
    public record Pinned(String object, String path, String from, String to) {}

    private ImagePinning() {}

    /**
     * Reads ci/images.sh's {@code digests.txt}: one {@code <service> <repository>@sha256:<digest>} per line.
     *
     * @return repository → digest reference
     * @throws IllegalArgumentException naming the line that is not of that shape
     */
    public static Map<String, String> parseDigests(String text) {
        Map<String, String> byRepository = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.lines().toList()) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 2 || !ManifestPolicy.DIGEST.matcher(parts[1]).matches()) {
                throw new IllegalArgumentException("line " + n + " is not \"<service> <repository>@sha256:<64 hex>\": " + line);
            }
            byRepository.put(repository(parts[1]), parts[1]);
        }
        return byRepository;
    }

    public static List<Pinned> pin(List<HasMetadata> objects, Map<String, String> digests) {
        List<Pinned> pinned = new ArrayList<>();
        for (HasMetadata o : objects) {
            PodSpec pod = ManifestPolicy.podSpec(o);
            if (pod == null) {
                continue;
            }
            pin(o, "spec.template.spec.initContainers", pod.getInitContainers(), digests, pinned);
            pin(o, "spec.template.spec.containers", pod.getContainers(), digests, pinned);
        }
        return pinned;
    }

    private static void pin(HasMetadata o, String field, List<Container> containers, Map<String, String> digests, List<Pinned> out) {
        for (int i = 0; containers != null && i < containers.size(); i++) {
            Container c = containers.get(i);
            String to = c.getImage() == null ? null : digests.get(repository(c.getImage()));
            if (to != null && !to.equals(c.getImage())) {
                out.add(new Pinned(o.getKind() + "/" + o.getMetadata().getName(), field + "[" + i + "].image", c.getImage(), to));
                c.setImage(to);
            }
        }
    }

    /** {@code host:5000/a/b:tag} and {@code host:5000/a/b@sha256:…} → {@code host:5000/a/b} (a registry port is not a tag). */
    static String repository(String image) {
        int at = image.indexOf('@');
        String name = at >= 0 ? image.substring(0, at) : image;
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }
}
