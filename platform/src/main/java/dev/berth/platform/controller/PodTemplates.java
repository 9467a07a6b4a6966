package dev.berth.platform.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.SemanticEquality;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pods from templates, the template hash that names ReplicaSets, and which ReplicaSet has a Deployment's template.
 * Pure (names are random).
 */
public final class PodTemplates {

    /** The label that ties a ReplicaSet and its pods to one template version, as Kubernetes names it. */
    public static final String TEMPLATE_HASH_LABEL = "pod-template-hash";
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    /** {@code ReplicaSetsByCreationTimestamp}: oldest first, the name breaking ties; no timestamp is the oldest. */
    static final Comparator<ReplicaSet> BY_CREATION = Comparator
            .comparing((ReplicaSet rs) -> rs.getMetadata().getCreationTimestamp() == null ? Instant.MIN
                    : Instant.parse(rs.getMetadata().getCreationTimestamp()))
            .thenComparing(rs -> rs.getMetadata().getName());

    private PodTemplates() {}

    /**
     * A short, stable, DNS-safe hash of a pod template (FNV-1a over its JSON, Kubernetes' safe alphabet): the name of
     * the ReplicaSet created for it. Nulls and empty objects and lists are left out first, so that a template back
     * from a Go client ({@code resources: {}}, {@code creationTimestamp: null}) keeps its name. Which ReplicaSet has a
     * template is {@link #equalIgnoreHash}'s to say, not the hash's.
     */
    public static String hash(PodTemplateSpec template, KubernetesSerialization json) {
        com.fasterxml.jackson.databind.JsonNode tree = json.convertValue(template, com.fasterxml.jackson.databind.JsonNode.class);
        prune(tree);
        byte[] bytes = json.asJson(tree).getBytes(StandardCharsets.UTF_8);
        int h = 0x811c9dc5;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        long v = h & 0xffffffffL;
        StringBuilder out = new StringBuilder();
        do {
            out.append(ALPHABET.charAt((int) (v % ALPHABET.length())));
            v /= ALPHABET.length();
        } while (v > 0);
        return out.toString();
    }

    /** Removes nulls and empty objects and lists, innermost first, so a field holding only empties goes too. */
    private static void prune(com.fasterxml.jackson.databind.JsonNode node) {
        var children = node.isObject() || node.isArray() ? node.elements() : java.util.Collections.<com.fasterxml.jackson.databind.JsonNode>emptyIterator();
        while (children.hasNext()) {
            com.fasterxml.jackson.databind.JsonNode child = children.next();
            prune(child);
            if (child.isNull() || ((child.isObject() || child.isArray()) && child.isEmpty())) {
                children.remove();
            }
        }
    }

    /**
     * Upstream's {@code EqualIgnoreHash}: whether two pod templates are semantically equal
     * ({@link SemanticEquality}) once the {@code pod-template-hash} label is left out of both. Neither is changed.
     */
    public static boolean equalIgnoreHash(PodTemplateSpec a, PodTemplateSpec b, KubernetesSerialization json) {
        return Objects.equals(withoutHash(a, json), withoutHash(b, json));
    }

    /**
     * Upstream's {@code FindNewReplicaSet}: of {@code owned}, the ReplicaSet whose template equals the Deployment's
     * ({@link #equalIgnoreHash}); of several, the oldest by creation timestamp, then name.
     */
    public static Optional<ReplicaSet> findNewReplicaSet(Deployment d, List<ReplicaSet> owned, KubernetesSerialization json) {
        JsonNode template = withoutHash(d.getSpec().getTemplate(), json);
        return owned.stream().sorted(BY_CREATION)
                .filter(rs -> Objects.equals(withoutHash(rs.getSpec().getTemplate(), json), template))
                .findFirst();
    }

    private static JsonNode withoutHash(PodTemplateSpec template, KubernetesSerialization json) {
        JsonNode tree = json.convertValue(template, JsonNode.class);
        if (tree.path("metadata").path("labels") instanceof ObjectNode labels) {
            labels.remove(TEMPLATE_HASH_LABEL);
        }
        return SemanticEquality.canonical(tree, PodTemplateSpec.class);
    }

    public static String randomSuffix() {
        StringBuilder s = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            s.append(ALPHABET.charAt(ThreadLocalRandom.current().nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    /** A new Pending pod from {@code template}, named {@code name}, controlled by {@code owner}. */
    public static Pod newPod(PodTemplateSpec template, HasMetadata owner, String name, Map<String, String> extraLabels,
            KubernetesSerialization json) {
        PodTemplateSpec t = json.clone(template);
        ObjectMeta meta = t.getMetadata() == null ? new ObjectMeta() : t.getMetadata();
        Map<String, String> labels = new LinkedHashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
        labels.putAll(extraLabels);
        return new PodBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(owner.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(meta.getAnnotations() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(meta.getAnnotations()))
                    .withOwnerReferences(Owners.controllerRef(owner))
                .endMetadata()
                .withSpec(t.getSpec())
                .withStatus(new PodStatusBuilder().withPhase("Pending").build())
                .build();
    }
}
