package dev.berth.platform.controller;

import dev.berth.platform.model.Owners;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Pods from templates, and the template hash that names ReplicaSets. Pure (names are random). */
public final class PodTemplates {

    /** The label that ties a ReplicaSet and its pods to one template version, as Kubernetes names it. */
    public static final String TEMPLATE_HASH_LABEL = "pod-template-hash";
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private PodTemplates() {}

    /**
     * A short, stable, DNS-safe hash of a pod template (FNV-1a over its JSON, Kubernetes' safe alphabet). Nulls and
     * empty objects and lists are left out first: Go holds no difference between an absent struct and an empty one,
     * so a template that went through a Go client (kubectl's {@code rollout undo} sends {@code resources: {}} and
     * {@code creationTimestamp: null}) is the same template, as upstream's {@code EqualIgnoreHash} finds it. A template
     * without such fields hashes as before.
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
