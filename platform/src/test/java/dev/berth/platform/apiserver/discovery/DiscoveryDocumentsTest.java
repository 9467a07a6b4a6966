package dev.berth.platform.apiserver.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.apiserver.discovery.AggregatedDiscovery.GroupDiscovery;
import dev.berth.platform.apiserver.discovery.AggregatedDiscovery.GroupDiscoveryList;
import dev.berth.platform.apiserver.discovery.AggregatedDiscovery.ResourceDiscovery;
import dev.berth.platform.apiserver.discovery.AggregatedDiscovery.VersionDiscovery;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.APIVersions;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.version.Info;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DiscoveryDocumentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V2 = AggregatedDiscovery.MEDIA_TYPE;
    private static final DiscoveryDocuments DOCS = DiscoveryDocuments.forServedKinds("127.0.0.1:7070", "0.1.0-test");
    private static final DiscoveryDocuments MORE =
            new DiscoveryDocuments(IssueThirteenKinds.all(), "127.0.0.1:7070", ServerVersion.info("0.1.0-test"));

    @Test
    void versionIsKubernetes132ServedByBerth() throws IOException {
        ServedDocument answer = DOCS.serve("/version", "application/vnd.kubernetes.protobuf", null).orElseThrow();
        Info info = JSON.readValue(answer.body(), Info.class);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(info.getMajor()).isEqualTo("1");
        assertThat(info.getMinor()).isEqualTo("32");
        assertThat(info.getGitVersion()).isEqualTo("v1.32.0-berth");
        assertThat(info.getGitCommit()).isEqualTo("0.1.0-test");
        assertThat(info.getPlatform()).matches("[a-z0-9-]+/[a-z0-9]+");
    }

    @Test
    void apiListsV1AndWhereClientsReachTheServer() throws IOException {
        APIVersions versions = read("/api", "application/json", APIVersions.class);

        assertThat(versions.getKind()).isEqualTo("APIVersions");
        assertThat(versions.getVersions()).containsExactly("v1");
        assertThat(versions.getServerAddressByClientCIDRs()).singleElement().satisfies(a -> {
            assertThat(a.getClientCIDR()).isEqualTo("0.0.0.0/0");
            assertThat(a.getServerAddress()).isEqualTo("127.0.0.1:7070");
        });
    }

    @Test
    void apisListsTheNamedGroupsInUpstreamOrderWithTheirPreferredVersion() throws IOException {
        APIGroupList list = read("/apis", null, APIGroupList.class);
        APIGroup apps = read("/apis/apps/", "application/json", APIGroup.class);

        assertThat(list.getKind()).isEqualTo("APIGroupList");
        assertThat(list.getGroups()).extracting(APIGroup::getName).containsExactly("apps", "events.k8s.io", "authorization.k8s.io", "autoscaling", "rbac.authorization.k8s.io", "coordination.k8s.io");
        assertThat(list.getGroups().get(3).getPreferredVersion().getGroupVersion()).isEqualTo("autoscaling/v2");
        assertThat(apps.getKind()).isEqualTo("APIGroup");
        assertThat(apps.getVersions()).singleElement().satisfies(v -> {
            assertThat(v.getGroupVersion()).isEqualTo("apps/v1");
            assertThat(v.getVersion()).isEqualTo("v1");
        });
        assertThat(apps.getPreferredVersion().getGroupVersion()).isEqualTo("apps/v1");
    }

    @Test
    void coreV1ListsResourcesEachFollowedByItsSubresources() throws IOException {
        APIResourceList list = read("/api/v1", "*/*", APIResourceList.class);

        assertThat(list.getGroupVersion()).isEqualTo("v1");
        assertThat(list.getResources()).extracting(APIResource::getName).containsSubsequence(
                "namespaces", "namespaces/finalize", "namespaces/status", "nodes", "nodes/status",
                "pods", "pods/binding", "pods/eviction", "pods/log", "pods/status", "secrets", "services", "services/status");
        APIResource pods = resource(list, "pods");
        assertThat(pods.getSingularName()).isEqualTo("pod");
        assertThat(pods.getNamespaced()).isTrue();
        assertThat(pods.getKind()).isEqualTo("Pod");
        assertThat(pods.getShortNames()).containsExactly("po");
        assertThat(pods.getCategories()).containsExactly("all");
        assertThat(pods.getVerbs()).isEqualTo(ServedResources.STANDARD_VERBS);
        assertThat(resource(list, "nodes").getNamespaced()).isFalse();

        APIResource eviction = resource(list, "pods/eviction");
        assertThat(List.of(eviction.getGroup(), eviction.getVersion(), eviction.getKind())).containsExactly("policy", "v1", "Eviction");
        assertThat(eviction.getVerbs()).containsExactly("create");
        APIResource log = resource(list, "pods/log");
        assertThat(log.getGroup()).isNull();
        assertThat(log.getKind()).isEqualTo("Pod");
        assertThat(log.getVerbs()).containsExactly("get");
    }

    @Test
    void appsV1ScalesThroughAutoscalingV1() throws IOException {
        APIResourceList list = read("/apis/apps/v1", "application/json", APIResourceList.class);

        assertThat(list.getGroupVersion()).isEqualTo("apps/v1");
        assertThat(list.getResources()).extracting(APIResource::getName).containsExactly("controllerrevisions", "deployments",
                "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status",
                "statefulsets", "statefulsets/scale", "statefulsets/status");
        APIResource scale = resource(list, "deployments/scale");
        assertThat(List.of(scale.getGroup(), scale.getVersion(), scale.getKind())).containsExactly("autoscaling", "v1", "Scale");
        assertThat(scale.getVerbs()).containsExactly("get", "patch", "update");
        assertThat(resource(list, "deployments/status").getGroup()).isNull();
    }

    /**
     * Rows of upstream's TestAggregationEnabled (discovery/aggregated/wrapper_test.go), with v2 (what the core
     * serves) where upstream's test uses v2beta1; protobuf, which the core does not serve, is 406 where upstream
     * serves it.
     */
    @ParameterizedTest(name = "Accept ''{0}'' is {1}")
    @CsvSource(delimiter = '|', value = {
            "application/json;foo=bar                                                  | 406",
            "''                                                                        | legacy",
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList      | aggregated",
            "application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io      | aggregated",
            "application/json                                                          | legacy",
            "application/vnd.kubernetes.protobuf                                       | 406",
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json | aggregated",
            "application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList | legacy",
            "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json | legacy",
            "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList | 406",
            "application/json;q=0.5,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList | aggregated",
            "application/json;as=Table;v=v1;g=meta.k8s.io                              | 406",
            "*/*                                                                       | legacy",
            "application/json;charset=utf-8                                            | legacy",
    })
    void apisNegotiatesAggregatedOrLegacyByTheFirstAcceptableClause(String accept, String expected) {
        for (String path : List.of("/api", "/apis")) {
            ServedDocument answer = DOCS.serve(path, accept, null).orElseThrow();
            switch (expected) {
                case "aggregated" -> {
                    assertThat(answer.status()).isEqualTo(200);
                    assertThat(answer.contentType()).isEqualTo(V2);
                }
                case "legacy" -> {
                    assertThat(answer.status()).isEqualTo(200);
                    assertThat(answer.contentType()).isEqualTo("application/json");
                }
                default -> assertThat(answer.status()).isEqualTo(406);
            }
            assertThat(answer.headers()).containsEntry("Vary", "Accept");
        }
    }

    @Test
    void notAcceptableIsAStatusNamingWhatIsAccepted() throws IOException {
        ServedDocument answer = DOCS.serve("/api/v1", "application/vnd.kubernetes.protobuf", null).orElseThrow();
        Status status = JSON.readValue(answer.body(), Status.class);

        assertThat(answer.status()).isEqualTo(406);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(status.getReason()).isEqualTo("NotAcceptable");
        assertThat(status.getCode()).isEqualTo(406);
        assertThat(status.getMessage()).isEqualTo("only the following media types are accepted: application/json");
    }

    @Test
    void aggregatedDocumentsAreCacheableByEtag() {
        ServedDocument first = DOCS.serve("/apis", V2, null).orElseThrow();
        String etag = first.headers().get("ETag");
        ServedDocument again = DOCS.serve("/apis", V2, etag).orElseThrow();
        ServedDocument legacyWithThatTag = DOCS.serve("/apis", "application/json", etag).orElseThrow();

        assertThat(etag).matches("\"[0-9A-F]{128}\"");
        assertThat(first.headers()).containsEntry("Cache-Control", "public");
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers()).containsEntry("ETag", etag);
        assertThat(legacyWithThatTag.status()).isEqualTo(200);
    }

    @Test
    void aggregatedApiHoldsTheCoreGroupWithResourcesAndSubresources() throws IOException {
        GroupDiscoveryList list = JSON.readValue(DOCS.serve("/api", V2, null).orElseThrow().body(), GroupDiscoveryList.class);

        assertThat(list.kind()).isEqualTo("APIGroupDiscoveryList");
        assertThat(list.apiVersion()).isEqualTo("apidiscovery.k8s.io/v2");
        GroupDiscovery core = list.items().get(0);
        assertThat(list.items()).hasSize(1);
        assertThat(core.metadata().name()).isNull();
        VersionDiscovery v1 = core.versions().get(0);
        assertThat(v1.version()).isEqualTo("v1");
        assertThat(v1.freshness()).isEqualTo("Current");
        ResourceDiscovery pods = v1.resources().stream().filter(r -> r.resource().equals("pods")).findFirst().orElseThrow();
        assertThat(pods.responseKind()).isEqualTo(new GroupVersionKind("", "v1", "Pod"));
        assertThat(pods.scope()).isEqualTo("Namespaced");
        assertThat(pods.singularResource()).isEqualTo("pod");
        assertThat(pods.shortNames()).containsExactly("po");
        assertThat(pods.categories()).containsExactly("all");
        assertThat(pods.subresources()).extracting(AggregatedDiscovery.SubresourceDiscovery::subresource)
                .containsExactly("binding", "eviction", "log", "status");
        assertThat(pods.subresources().get(1).responseKind()).isEqualTo(new GroupVersionKind("policy", "v1", "Eviction"));
        assertThat(v1.resources().stream().filter(r -> r.resource().equals("nodes")).findFirst().orElseThrow().scope())
                .isEqualTo("Cluster");
    }

    @Test
    void aggregatedJsonWritesTheCoreGroupAsGoDoes() throws IOException {
        JsonNode list = JSON.readTree(DOCS.serve("/api", V2, null).orElseThrow().body());
        JsonNode pods = list.at("/items/0/versions/0/resources").findParents("resource").stream()
                .filter(n -> n.get("resource").asText().equals("pods")).findFirst().orElseThrow();

        assertThat(list.at("/items/0/metadata").isObject()).isTrue();
        assertThat(list.at("/items/0/metadata").has("name")).isFalse();
        assertThat(pods.at("/responseKind/group").isTextual()).isTrue();
        assertThat(pods.at("/responseKind/group").asText()).isEmpty();
        assertThat(list.at("/items/0/versions/0/resources").findParents("resource").stream()
                .filter(n -> n.get("resource").asText().equals("configmaps")).findFirst().orElseThrow().has("subresources"))
                .isFalse();
    }

    /**
     * The aggregated documents say what the legacy ones say: converting them the way client-go does
     * (discovery/aggregated_discovery.go SplitGroupsAndResources) gives the legacy group list and resource lists.
     */
    @ParameterizedTest(name = "issue 13 kinds too: {0}")
    @ValueSource(booleans = {false, true})
    void aggregatedConvertsToTheLegacyDocumentsAsClientGoConvertsIt(boolean issueThirteenKinds) throws IOException {
        DiscoveryDocuments docs = issueThirteenKinds ? MORE : DOCS;
        List<GroupDiscovery> groups = new ArrayList<>();
        groups.addAll(JSON.readValue(docs.serve("/api", V2, null).orElseThrow().body(), GroupDiscoveryList.class).items());
        groups.addAll(JSON.readValue(docs.serve("/apis", V2, null).orElseThrow().body(), GroupDiscoveryList.class).items());
        APIGroupList legacyGroups = read(docs, "/apis", "application/json", APIGroupList.class);

        assertThat(groups.subList(1, groups.size())).extracting(g -> g.metadata().name())
                .containsExactlyElementsOf(legacyGroups.getGroups().stream().map(APIGroup::getName).toList());
        for (GroupDiscovery group : groups) {
            String name = Objects.requireNonNullElse(group.metadata().name(), "");
            for (VersionDiscovery version : group.versions()) {
                String path = name.isEmpty() ? "/api/" + version.version() : "/apis/" + name + "/" + version.version();
                List<APIResource> legacy = read(docs, path, "application/json", APIResourceList.class).getResources();
                assertThat(converted(name, version)).as(path).isEqualTo(comparable(name, version.version(), legacy));
            }
        }
    }

    @Test
    void theKindsIssue13AddsComeInUpstreamGroupOrderWithTheirVerbs() throws IOException {
        APIGroupList groups = read(MORE, "/apis", "application/json", APIGroupList.class);
        APIResourceList authorization = read(MORE, "/apis/authorization.k8s.io/v1", "application/json", APIResourceList.class);
        APIResourceList core = read(MORE, "/api/v1", "application/json", APIResourceList.class);

        assertThat(groups.getGroups()).extracting(APIGroup::getName).containsExactly("apps", "events.k8s.io",
                "authorization.k8s.io", "autoscaling", "rbac.authorization.k8s.io", "coordination.k8s.io");
        assertThat(authorization.getResources()).extracting(APIResource::getName)
                .containsExactly("selfsubjectaccessreviews", "selfsubjectrulesreviews");
        assertThat(authorization.getResources()).allSatisfy(r -> {
            assertThat(r.getNamespaced()).isFalse();
            assertThat(r.getVerbs()).containsExactly("create");
        });
        assertThat(resource(core, "serviceaccounts").getShortNames()).containsExactly("sa");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/apis/apps/v2", "/apis/batch", "/apis/batch/v1", "/api/v2", "/healthz", "/apis/apps/v1/deployments", "/"})
    void otherPathsAreNotDiscovery(String path) {
        assertThat(DOCS.serve(path, "application/json", null)).isEmpty();
    }

    /** One resource as client-go's convertAPIResource/convertAPISubresource sees it, in comparable form. */
    private record Converted(String name, boolean namespaced, String group, String version, String kind, List<String> verbs,
            List<String> shortNames, List<String> categories) {}

    private static List<Converted> converted(String group, VersionDiscovery version) {
        List<Converted> out = new ArrayList<>();
        for (ResourceDiscovery r : version.resources()) {
            boolean namespaced = r.scope().equals("Namespaced");
            out.add(new Converted(r.resource(), namespaced, r.responseKind().group(), r.responseKind().version(),
                    r.responseKind().kind(), r.verbs(), nullToEmpty(r.shortNames()), nullToEmpty(r.categories())));
            for (AggregatedDiscovery.SubresourceDiscovery s : nullToEmpty(r.subresources())) {
                out.add(new Converted(r.resource() + "/" + s.subresource(), namespaced, s.responseKind().group(),
                        s.responseKind().version(), s.responseKind().kind(), s.verbs(), List.of(), List.of()));
            }
        }
        return out;
    }

    /** Legacy entries with the group version filled in where legacy leaves it to the list's (as client-go reads it). */
    private static List<Converted> comparable(String group, String version, List<APIResource> legacy) {
        return legacy.stream().map(r -> new Converted(r.getName(), r.getNamespaced(),
                Objects.requireNonNullElse(r.getGroup(), group), Objects.requireNonNullElse(r.getVersion(), version),
                r.getKind(), r.getVerbs(), r.getShortNames(), r.getCategories())).toList();
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static APIResource resource(APIResourceList list, String name) {
        return list.getResources().stream().filter(r -> r.getName().equals(name)).findFirst().orElseThrow();
    }

    private static <T> T read(String path, String accept, Class<T> type) throws IOException {
        return read(DOCS, path, accept, type);
    }

    private static <T> T read(DiscoveryDocuments docs, String path, String accept, Class<T> type) throws IOException {
        ServedDocument answer = docs.serve(path, accept, null).orElseThrow();
        assertThat(answer.status()).as(path).isEqualTo(200);
        assertThat(answer.contentType()).as(path).isEqualTo("application/json");
        assertThat(answer.headers()).as(path).doesNotContainKey("Cache-Control");
        return JSON.readValue(answer.body(), type);
    }

}
