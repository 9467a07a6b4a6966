package dev.berth.platform.apiserver.discovery;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Locale;

/**
 * One REST resource the core serves, with what discovery and OpenAPI say about it.
 *
 * @param kind group, version and kind of its objects
 * @param plural the resource name in URLs ({@code deployments})
 * @param namespaced whether objects live in a namespace
 * @param shortNames kubectl's abbreviations ({@code deploy})
 * @param verbs the verbs the resource serves, sorted as kube-apiserver lists them
 * @param categories groups such as {@code all} that {@code kubectl get all} expands
 * @param subresources its subresources, sorted by name
 * @param type the fabric8 model class of its objects
 */
public record ServedResource(GroupVersionKind kind, String plural, boolean namespaced, List<String> shortNames,
        List<String> verbs, List<String> categories, List<Subresource> subresources, Class<? extends HasMetadata> type) {

    public ServedResource {
        shortNames = List.copyOf(shortNames);
        verbs = List.copyOf(verbs);
        categories = List.copyOf(categories);
        subresources = List.copyOf(subresources);
    }

    /** The singular name: kube-apiserver's default, the kind in lower case. */
    public String singular() {
        return kind.kind().toLowerCase(Locale.ROOT);
    }

    public String group() {
        return kind.group();
    }

    public String version() {
        return kind.version();
    }

    public String apiVersion() {
        return kind.apiVersion();
    }

    public boolean serves(String verb) {
        return verbs.contains(verb);
    }
}
