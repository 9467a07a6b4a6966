package dev.berth.platform.apiserver.discovery;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.util.Optional;

/**
 * A group, version and kind as Kubernetes writes them in discovery ({@code responseKind}) and OpenAPI
 * ({@code x-kubernetes-group-version-kind}): the core group is {@code ""}, always written.
 */
@JsonPropertyOrder({"group", "version", "kind"})
public record GroupVersionKind(String group, String version, String kind) {

    /** Splits an apiVersion the way Kubernetes does: {@code apps/v1} is group apps, {@code v1} the core group. */
    public static GroupVersionKind of(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        return slash < 0
                ? new GroupVersionKind("", apiVersion, kind)
                : new GroupVersionKind(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
    }

    /** The kind a fabric8 model class declares with its {@code @Group}/{@code @Version} annotations, if it is one. */
    public static Optional<GroupVersionKind> declaredBy(Class<?> type) {
        if (!KubernetesResource.class.isAssignableFrom(type)) {
            return Optional.empty();
        }
        String version = HasMetadata.getVersion(type);
        return version == null
                ? Optional.empty()
                : Optional.of(new GroupVersionKind(HasMetadata.getGroup(type), version, HasMetadata.getKind(type)));
    }

    @JsonIgnore
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }
}
