package dev.berth.platform.apiserver.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.apiserver.discovery.AggregatedDiscovery.GroupDiscovery;
import dev.berth.platform.apiserver.discovery.AggregatedDiscovery.GroupDiscoveryList;
import dev.berth.platform.apiserver.discovery.AggregatedDiscovery.Metadata;
import dev.berth.platform.apiserver.discovery.AggregatedDiscovery.ResourceDiscovery;
import dev.berth.platform.apiserver.discovery.AggregatedDiscovery.SubresourceDiscovery;
import dev.berth.platform.apiserver.discovery.AggregatedDiscovery.VersionDiscovery;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.version.Info;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The discovery documents kube-apiserver serves, for the core's resources: {@code /version}, {@code /api},
 * {@code /apis}, {@code /apis/{group}}, {@code /api/v1} and {@code /apis/{group}/{version}}, and for {@code /api}
 * and {@code /apis} the aggregated form ({@code apidiscovery.k8s.io/v2}) that kubectl 1.32 asks for first.
 *
 * <p>Every document is serialized and hashed once, at construction; {@link #serve} only picks bytes. Immutable
 * and thread-safe.
 */
public final class DiscoveryDocuments {

    static final String JSON_TYPE = "application/json";
    private static final String CURRENT = "Current";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Legacy (unaggregated) documents by path. */
    private final Map<String, HashedDocument> legacy = new HashMap<>();
    /** Aggregated documents: {@code /api} and {@code /apis}. */
    private final Map<String, HashedDocument> aggregated = new HashMap<>();

    /**
     * @param resources what the core serves
     * @param serverAddress host:port clients reach the core at ({@code serverAddressByClientCIDRs} of {@code /api})
     * @param serverVersion the {@code /version} document
     */
    public DiscoveryDocuments(List<ServedResource> resources, String serverAddress, Info serverVersion) {
        Map<String, Map<String, List<ServedResource>>> groups = ServedResources.byGroupVersion(resources);
        legacy.put("/version", json(serverVersion));

        List<GroupDiscovery> apisItems = new ArrayList<>();
        List<APIGroup> apisGroups = new ArrayList<>();
        groups.forEach((group, versions) -> {
            List<VersionDiscovery> versionDocs = new ArrayList<>();
            versions.forEach((version, served) -> {
                String groupVersion = group.isEmpty() ? version : group + "/" + version;
                legacy.put(prefix(group) + "/" + version, json(new APIResourceListBuilder()
                        .withGroupVersion(groupVersion).withResources(legacyResources(served)).build()));
                versionDocs.add(new VersionDiscovery(version, served.stream().map(DiscoveryDocuments::aggregated).toList(),
                        CURRENT));
            });
            if (group.isEmpty()) {
                legacy.put("/api", json(new APIVersionsBuilder().withVersions(List.copyOf(versions.keySet()))
                        .addNewServerAddressByClientCIDR("0.0.0.0/0", serverAddress).build()));
                aggregated.put("/api", aggregatedJson(List.of(new GroupDiscovery(new Metadata(null), versionDocs))));
            } else {
                APIGroup apiGroup = apiGroup(group, List.copyOf(versions.keySet()));
                apisGroups.add(apiGroup);
                legacy.put("/apis/" + group, json(apiGroup));
                apisItems.add(new GroupDiscovery(new Metadata(group), versionDocs));
            }
        });
        legacy.put("/apis", json(new APIGroupListBuilder().withGroups(apisGroups).build()));
        aggregated.put("/apis", aggregatedJson(apisItems));
    }

    /** The documents for every kind the core knows. */
    public static DiscoveryDocuments forServedKinds(String serverAddress, String berthVersion) {
        return new DiscoveryDocuments(ServedResources.all(), serverAddress, ServerVersion.info(berthVersion));
    }

    /**
     * Answers a GET of a discovery path, or empty when the path is not a discovery document (the caller answers
     * those, typically 404). {@code /api} and {@code /apis} negotiate as kube-apiserver's aggregated discovery
     * wrapper does: the first acceptable clause of {@code Accept} decides between the aggregated and the legacy
     * document; nothing acceptable is {@code 406 NotAcceptable}. {@code /version} is JSON whatever is asked.
     *
     * @param path the request path, with or without a trailing slash
     * @param accept the Accept header, null or empty for none
     * @param ifNoneMatch the If-None-Match header, null for none; the document's ETag answers 304
     */
    public Optional<ServedDocument> serve(String path, String accept, String ifNoneMatch) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        HashedDocument plain = legacy.get(p);
        if (plain == null) {
            return Optional.empty();
        }
        if (p.equals("/version")) {
            return Optional.of(plain.serve(ifNoneMatch, Map.of()));
        }
        HashedDocument agg = aggregated.get(p);
        for (MediaRange clause : MediaRange.parse(accept)) {
            if (agg != null && asksAggregated(clause)) {
                return Optional.of(agg.serve(ifNoneMatch, Map.of("Vary", "Accept", "Cache-Control", "public")));
            }
            if (asksPlainJson(clause)) {
                return Optional.of(plain.serve(ifNoneMatch, agg == null ? Map.of() : Map.of("Vary", "Accept")));
            }
        }
        return Optional.of(notAcceptable(agg != null));
    }

    /** {@code application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList}, in any parameter order. */
    static boolean asksAggregated(MediaRange clause) {
        return clause.type().equals("application") && clause.subtype().equals("json")
                && AggregatedDiscovery.GROUP.equals(clause.params().get("g"))
                && AggregatedDiscovery.VERSION.equals(clause.params().get("v"))
                && AggregatedDiscovery.KIND.equals(clause.params().get("as"));
    }

    /**
     * JSON without a conversion: kube-apiserver's negotiation refuses a clause with a parameter it does not know
     * ({@code application/json;foo=bar}) and one asking a conversion this endpoint does not make
     * ({@code as=Table}, or aggregated discovery v2beta1, which the core does not serve).
     */
    static boolean asksPlainJson(MediaRange clause) {
        return clause.admits("application", "json")
                && clause.params().keySet().stream().allMatch(p -> p.equals("charset") || p.equals("pretty"));
    }

    private static ServedDocument notAcceptable(boolean aggregatable) {
        String accepted = aggregatable ? JSON_TYPE + ", " + AggregatedDiscovery.MEDIA_TYPE : JSON_TYPE;
        byte[] body = bytes(new StatusBuilder().withNewMetadata().endMetadata().withStatus("Failure")
                .withMessage("only the following media types are accepted: " + accepted)
                .withReason("NotAcceptable").withCode(406).build());
        return new ServedDocument(406, body, aggregatable
                ? Map.of("Content-Type", JSON_TYPE, "Vary", "Accept") : Map.of("Content-Type", JSON_TYPE));
    }

    private static String prefix(String group) {
        return group.isEmpty() ? "/api" : "/apis/" + group;
    }

    private static APIGroup apiGroup(String group, List<String> versions) {
        List<GroupVersionForDiscovery> gvs = versions.stream()
                .map(v -> new GroupVersionForDiscovery(group + "/" + v, v)).toList();
        return new APIGroupBuilder().withName(group).withVersions(gvs).withPreferredVersion(gvs.get(0)).build();
    }

    /** The resources of one group version as legacy discovery lists them: each followed by its subresources. */
    private static List<APIResource> legacyResources(List<ServedResource> served) {
        List<APIResource> out = new ArrayList<>();
        for (ServedResource r : served) {
            out.add(new APIResourceBuilder().withName(r.plural()).withSingularName(r.singular())
                    .withNamespaced(r.namespaced()).withKind(r.kind().kind()).withVerbs(r.verbs())
                    .withShortNames(r.shortNames()).withCategories(r.categories()).build());
            for (Subresource s : r.subresources()) {
                boolean otherGroupVersion = !s.kind().apiVersion().equals(r.apiVersion());
                out.add(new APIResourceBuilder().withName(r.plural() + "/" + s.name()).withSingularName("")
                        .withNamespaced(r.namespaced())
                        .withGroup(otherGroupVersion ? s.kind().group() : null)
                        .withVersion(otherGroupVersion ? s.kind().version() : null)
                        .withKind(s.kind().kind()).withVerbs(s.verbs()).build());
            }
        }
        return out;
    }

    private static ResourceDiscovery aggregated(ServedResource r) {
        return new ResourceDiscovery(r.plural(), r.kind(), r.namespaced() ? "Namespaced" : "Cluster", r.singular(),
                r.verbs(), r.shortNames(), r.categories(),
                r.subresources().stream().map(s -> new SubresourceDiscovery(s.name(), s.kind(), s.verbs())).toList());
    }

    private static HashedDocument json(Object document) {
        return HashedDocument.of(bytes(document), JSON_TYPE);
    }

    private static HashedDocument aggregatedJson(List<GroupDiscovery> items) {
        return HashedDocument.of(bytes(GroupDiscoveryList.of(items)), AggregatedDiscovery.MEDIA_TYPE);
    }

    private static byte[] bytes(Object document) {
        try {
            return JSON.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("discovery types always serialize", e);
        }
    }
}
