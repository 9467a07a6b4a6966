package dev.berth.platform.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.platform.model.Owners;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A StatefulSet's history as upstream records it ({@code pkg/controller/history} and {@code stateful_set_utils.go}):
 * one ControllerRevision per distinct pod template, named {@code <set>-<hash>}, its {@code data} the strategic merge
 * patch that restores the template ({@code {"spec":{"template":{...,"$patch":"replace"}}}}, keys sorted as Go's
 * {@code json.Marshal} writes them, which is what {@code kubectl rollout undo} sends back and compares with), its
 * {@code revision} number growing with each new or re-used template. Pods carry the revision's name in
 * {@value #POD_REVISION_LABEL}. Pure.
 */
public final class StatefulSetRevisions {

    /** The pod label naming the revision a pod was made from ({@code apps.ControllerRevisionHashLabelKey}). */
    public static final String POD_REVISION_LABEL = "controller-revision-hash";
    /** The revision label holding the hash alone ({@code history.ControllerRevisionHashLabel}). */
    public static final String HASH_LABEL = "controller.kubernetes.io/hash";
    /** {@code rand.SafeEncodeString}'s alphabet. */
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private StatefulSetRevisions() {}

    /**
     * {@code getPatch}: the set's template as a patch that replaces it whole, byte for byte as Go writes it from the
     * typed object, because {@code kubectl rollout undo} compares its own rendering of the live set with these bytes
     * ({@code statefulsetMatch}): keys sorted, compact, {@code <>&} and U+2028/U+2029 escaped, and the struct fields Go
     * never omits present ({@code metadata.creationTimestamp: null}, each container's {@code resources: {}}).
     */
    public static String patch(StatefulSet set, KubernetesSerialization json) {
        ObjectNode template = json.convertValue(set.getSpec().getTemplate(), ObjectNode.class);
        goStructFields(template);
        template.put("$patch", "replace");
        ObjectNode patch = SORTED.createObjectNode();
        patch.putObject("spec").set("template", template);
        try {
            return goEscapes(SORTED.writeValueAsString(SORTED.treeToValue(patch, Object.class)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a pod template that cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** The non-pointer struct fields of PodTemplateSpec that {@code encoding/json} writes even when empty. */
    private static void goStructFields(ObjectNode template) {
        ObjectNode meta = template.get("metadata") instanceof ObjectNode m ? m : template.putObject("metadata");
        if (!meta.has("creationTimestamp")) {
            meta.putNull("creationTimestamp");
        }
        ObjectNode spec = template.get("spec") instanceof ObjectNode s ? s : template.putObject("spec");
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            spec.path(list).forEach(c -> {
                if (c instanceof ObjectNode container && !container.has("resources")) {
                    container.putObject("resources");
                }
            });
        }
    }

    /** {@code encoding/json}'s HTML-safe escaping; the characters can only occur inside strings. */
    private static String goEscapes(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    /**
     * {@code HashControllerRevision}: FNV-32 (not 1a) over the data, then the collision count in decimal, the sum in
     * decimal mapped onto the safe alphabet ({@code rand.SafeEncodeString}).
     *
     * <p>Worked example: the empty data with no collisions hashes to FNV-32's offset basis 2166136261, encoded character
     * by character ({@code '2'} is byte 50, 50 % 27 = 23 → {@code '6'}; {@code '1'} is 49 → 22 → {@code '5'}) as
     * {@code "65bb57b6b5"}.
     */
    public static String hash(String data, int collisionCount) {
        int h = 0x811c9dc5;
        for (byte b : (data + (collisionCount == 0 ? "" : Integer.toString(collisionCount))).getBytes(StandardCharsets.UTF_8)) {
            h *= 0x01000193;
            h ^= b & 0xff;
        }
        return safeEncode(Long.toString(h & 0xffffffffL));
    }

    /** {@code rand.SafeEncodeString}: each character replaced by the alphabet's entry at its byte value modulo 27. */
    static String safeEncode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            out.append(ALPHANUMS.charAt(c % ALPHANUMS.length()));
        }
        return out.toString();
    }

    /** {@code ControllerRevisionName}: the prefix cut to 223 characters so the name stays within 253. */
    public static String name(String prefix, String hash) {
        return (prefix.length() > 223 ? prefix.substring(0, 223) : prefix) + "-" + hash;
    }

    /**
     * {@code newRevision}: labels of the template plus the hash, the set's annotations (so {@code kubernetes.io/change-cause}
     * shows in {@code rollout history}), the set as controller, the patch as data.
     */
    public static ControllerRevision newRevision(StatefulSet set, long revision, int collisionCount, KubernetesSerialization json) {
        String data = patch(set, json);
        String hash = hash(data, collisionCount);
        Map<String, String> labels = new LinkedHashMap<>();
        var templateMeta = set.getSpec().getTemplate().getMetadata();
        if (templateMeta != null && templateMeta.getLabels() != null) {
            labels.putAll(templateMeta.getLabels());
        }
        labels.put(HASH_LABEL, hash);
        Map<String, String> annotations = new LinkedHashMap<>(set.getMetadata().getAnnotations() == null ? Map.of() : set.getMetadata().getAnnotations());
        annotations.remove("kubectl.kubernetes.io/last-applied-configuration"); // big, and not what history shows
        return new ControllerRevisionBuilder()
                .withNewMetadata()
                    .withName(name(set.getMetadata().getName(), hash))
                    .withNamespace(set.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(annotations)
                    .withOwnerReferences(Owners.controllerRef(set))
                .endMetadata()
                .withData(json.unmarshal(data, Object.class))
                .withRevision(revision)
                .build();
    }

    /** The revision whose data is {@code data} (upstream's {@code FindEqualRevisions}), the newest if several. */
    public static Optional<ControllerRevision> equal(List<ControllerRevision> revisions, String data, KubernetesSerialization json) {
        JsonNode wanted = json.unmarshal(data, JsonNode.class);
        return revisions.stream().filter(r -> wanted.equals(json.convertValue(r.getData(), JsonNode.class)))
                .max(Comparator.comparingLong(ControllerRevision::getRevision));
    }

    /** {@code nextRevision}: one more than the highest, 1 for the first. */
    public static long nextRevision(List<ControllerRevision> revisions) {
        return revisions.stream().mapToLong(ControllerRevision::getRevision).max().orElse(0) + 1;
    }

    /** The revision a pod was made from, as its label says ("" when it has none). */
    public static String of(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels == null ? "" : Objects.requireNonNullElse(labels.get(POD_REVISION_LABEL), "");
    }

    /**
     * {@code truncateHistory}: the revisions to delete, oldest first, so that at most {@code limit} remain besides
     * those a live pod or the status still names (the current and update revisions are always kept).
     */
    public static List<ControllerRevision> toTruncate(List<ControllerRevision> revisions, List<Pod> pods, String current, String update, int limit) {
        java.util.Set<String> live = new java.util.HashSet<>();
        pods.forEach(p -> live.add(of(p)));
        live.add(current);
        live.add(update);
        List<ControllerRevision> history = revisions.stream().filter(r -> !live.contains(r.getMetadata().getName()))
                .sorted(Comparator.comparingLong(ControllerRevision::getRevision)).toList();
        return history.size() <= limit ? List.of() : history.subList(0, history.size() - limit);
    }
}
