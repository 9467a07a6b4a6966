package dev.berth.platform.api.manifest;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.berth.platform.model.ResourceKind;
import dev.berth.support.problem.Problem;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a request body — YAML (one or many {@code ---} documents) or JSON (an object or a {@code List}) — into
 * fabric8 Kubernetes objects of the kinds users may apply. Syntax errors, wrong value types and unknown or
 * core-owned kinds are reported as field errors ({@code document[1].spec.replicas}); documents whose aliases
 * would expand them past {@link YamlExpansion}'s bounds are refused before they are loaded. Thread-safe.
 */
public final class ManifestReader {

    /** Bodies larger than this are refused before parsing. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    private final KubernetesSerialization json;
    private final boolean anyKind;

    /** A reader for the local engine: only the kinds it runs. */
    public ManifestReader(KubernetesSerialization json) {
        this(json, false);
    }

    private ManifestReader(KubernetesSerialization json, boolean anyKind) {
        this.json = json;
        this.anyKind = anyKind;
    }

    /** A reader for a real cluster, which takes every kind it knows (PodDisruptionBudgets, custom resources …). */
    public static ManifestReader anyKind(KubernetesSerialization json) {
        return new ManifestReader(json, true);
    }

    /**
     * @throws ManifestException naming the document and field at fault
     */
    public List<HasMetadata> read(String body) {
        if (body == null || body.isBlank()) {
            throw new ManifestException("the request body is empty", List.of(new Problem.FieldError("body", "must contain at least one manifest")));
        }
        if (body.length() > MAX_BYTES) {
            throw new ManifestException("manifests larger than 4 MiB are refused", List.of(new Problem.FieldError("body", "larger than 4 MiB")));
        }
        List<String> documents = split(body);
        List<HasMetadata> objects = new ArrayList<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            String prefix = "document[" + i + "]";
            Optional<String> expansion = YamlExpansion.problem(documents.get(i));
            if (expansion.isPresent()) {
                errors.add(new Problem.FieldError(prefix, expansion.get()));
                continue;
            }
            Object parsed;
            try {
                parsed = json.unmarshal(new ByteArrayInputStream(documents.get(i).getBytes(StandardCharsets.UTF_8)));
            } catch (RuntimeException e) {
                errors.add(describe(prefix, e));
                continue;
            }
            for (Object o : flatten(parsed)) {
                if (!(o instanceof HasMetadata object)) {
                    errors.add(new Problem.FieldError(prefix, "is not a Kubernetes object (apiVersion, kind and metadata are required)"));
                    continue;
                }
                String problem = anyKind ? null : kindProblem(object);
                if (problem != null) {
                    errors.add(new Problem.FieldError(prefix + ".kind", problem));
                } else {
                    objects.add(object);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ManifestException(summary(errors), errors);
        }
        if (objects.isEmpty()) {
            throw new ManifestException("no manifest in the request body", List.of(new Problem.FieldError("body", "contains no Kubernetes object")));
        }
        return objects;
    }

    static String summary(List<Problem.FieldError> errors) {
        return errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("");
    }

    /** YAML documents separated by {@code ---} lines; JSON bodies are one document. Empty documents are skipped. */
    static List<String> split(String body) {
        String trimmed = body.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            return List.of(trimmed);
        }
        List<String> documents = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : body.split("\r?\n", -1)) {
            if (line.startsWith("---")) {
                addIfContent(documents, current);
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        addIfContent(documents, current);
        return documents;
    }

    private static void addIfContent(List<String> documents, StringBuilder doc) {
        boolean content = doc.toString().lines().anyMatch(l -> !l.isBlank() && !l.strip().startsWith("#"));
        if (content) {
            documents.add(doc.toString());
        }
    }

    private static List<?> flatten(Object parsed) {
        if (parsed instanceof KubernetesList list) {
            return list.getItems();
        }
        if (parsed instanceof List<?> list) {
            return list;
        }
        return parsed == null ? List.of() : List.of(parsed);
    }

    private static String kindProblem(HasMetadata object) {
        if (object instanceof GenericKubernetesResource || ResourceKind.of(object).isEmpty()) {
            return "unknown kind " + object.getApiVersion() + "/" + object.getKind()
                    + " (Berth applies apps/v1 Deployment and StatefulSet, v1 Service, ConfigMap, Secret and Namespace, autoscaling/v2 HorizontalPodAutoscaler)";
        }
        ResourceKind kind = ResourceKind.of(object).orElseThrow();
        if (!kind.applicable()) {
            return kind.kind() + " objects are managed by the core; apply a Deployment or StatefulSet instead";
        }
        return null;
    }

    private static Problem.FieldError describe(String prefix, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                StringBuilder path = new StringBuilder(prefix);
                for (JsonMappingException.Reference ref : mapping.getPath()) {
                    if (ref.getFieldName() != null) {
                        path.append('.').append(ref.getFieldName());
                    } else if (ref.getIndex() >= 0) {
                        path.append('[').append(ref.getIndex()).append(']');
                    }
                }
                return new Problem.FieldError(path.toString(), "has the wrong type: " + firstLine(mapping.getOriginalMessage()));
            }
        }
        return new Problem.FieldError(prefix, "is not valid YAML/JSON: " + firstLine(e.getMessage()));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String[] lines = message.strip().split("\n");
        String first = lines[0].strip();
        for (String l : lines) {
            if (l.contains("line ")) {
                return first + " (" + l.strip() + ")";
            }
        }
        return first;
    }
}
