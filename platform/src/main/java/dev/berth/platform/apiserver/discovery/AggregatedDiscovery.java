package dev.berth.platform.apiserver.discovery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The aggregated discovery types, {@code apidiscovery.k8s.io/v2} (k8s.io/api/apidiscovery/v2/types.go), which
 * fabric8's model does not have. Field names and which fields are always written follow the Go JSON tags:
 * {@code omitempty} fields are left out when empty.
 */
public final class AggregatedDiscovery {

    public static final String GROUP = "apidiscovery.k8s.io";
    public static final String VERSION = "v2";
    public static final String KIND = "APIGroupDiscoveryList";
    /** The media type kube-apiserver answers aggregated discovery with (and clients ask for). */
    public static final String MEDIA_TYPE = "application/json;g=" + GROUP + ";v=" + VERSION + ";as=" + KIND;

    private AggregatedDiscovery() {}

    @JsonPropertyOrder({"kind", "apiVersion", "metadata", "items"})
    public record GroupDiscoveryList(String kind, String apiVersion, Metadata metadata, List<GroupDiscovery> items) {

        public static GroupDiscoveryList of(List<GroupDiscovery> items) {
            return new GroupDiscoveryList(KIND, GROUP + "/" + VERSION, new Metadata(null), items);
        }
    }

    /** Object metadata of which discovery fills only the name; the core group's name is empty and left out. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Metadata(String name) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record GroupDiscovery(Metadata metadata, List<VersionDiscovery> versions) {}

    @JsonPropertyOrder({"version", "resources", "freshness"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record VersionDiscovery(String version, List<ResourceDiscovery> resources, String freshness) {}

    @JsonPropertyOrder({"resource", "responseKind", "scope", "singularResource", "verbs", "shortNames", "categories",
            "subresources"})
    public record ResourceDiscovery(
            String resource,
            GroupVersionKind responseKind,
            String scope,
            String singularResource,
            List<String> verbs,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> shortNames,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> categories,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<SubresourceDiscovery> subresources) {}

    @JsonPropertyOrder({"subresource", "responseKind", "verbs"})
    public record SubresourceDiscovery(String subresource, GroupVersionKind responseKind, List<String> verbs) {}
}
