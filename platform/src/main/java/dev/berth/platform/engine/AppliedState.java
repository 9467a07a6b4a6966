package dev.berth.platform.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an applied manifest becomes the stored object (kubectl apply semantics, simplified): the user's
 * manifest owns everything it states; the core keeps what it owns itself — {@code status} and its own
 * annotations ({@code berth.dev/*}, {@code deployment.kubernetes.io/*}). Secrets' {@code stringData} is folded
 * into {@code data} as the API server does. Pure; thread-safe.
 */
final class AppliedState {

    private static final String[] CORE_ANNOTATION_PREFIXES = {"berth.dev/", "deployment.kubernetes.io/"};

    private final KubernetesSerialization json;

    AppliedState(KubernetesSerialization json) {
        this.json = json;
    }

    /** The object as it is stored when first created. */
    HasMetadata forCreate(HasMetadata applied) {
        return normalized(json.clone(applied));
    }

    /** The stored object after applying {@code applied} over {@code current}. */
    @SuppressWarnings("unchecked")
    HasMetadata merge(HasMetadata current, HasMetadata applied) {
        Map<String, Object> next = json.convertValue(normalized(json.clone(applied)), Map.class);
        Map<String, Object> was = json.convertValue(current, Map.class);
        if (was.containsKey("status")) {
            next.put("status", was.get("status"));
        }
        Map<String, Object> meta = (Map<String, Object>) next.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
        Map<String, Object> wasMeta = (Map<String, Object>) was.get("metadata");
        Map<String, Object> annotations = new LinkedHashMap<>((Map<String, Object>) meta.getOrDefault("annotations", Map.of()));
        Map<String, Object> wasAnnotations = (Map<String, Object>) wasMeta.getOrDefault("annotations", Map.of());
        wasAnnotations.forEach((k, v) -> {
            if (isCoreAnnotation(k)) {
                annotations.putIfAbsent(k, v);
            }
        });
        meta.put("annotations", annotations);
        meta.put("resourceVersion", wasMeta.get("resourceVersion"));
        return json.convertValue(next, current.getClass());
    }

    static boolean isCoreAnnotation(String key) {
        for (String p : CORE_ANNOTATION_PREFIXES) {
            if (key.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static HasMetadata normalized(HasMetadata o) {
        if (o instanceof Secret s && s.getStringData() != null && !s.getStringData().isEmpty()) {
            Map<String, String> data = s.getData() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(s.getData());
            s.getStringData().forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
            s.setData(data);
            s.setStringData(null);
        }
        if (o.getMetadata().getLabels() == null) {
            o.getMetadata().setLabels(new LinkedHashMap<>());
        }
        if (o.getMetadata().getAnnotations() == null) {
            o.getMetadata().setAnnotations(new LinkedHashMap<>());
        }
        return o;
    }
}
