package dev.berth.platform.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.apiserver.discovery.GroupVersionKind;
import dev.berth.platform.apiserver.discovery.IssueThirteenKinds;
import dev.berth.platform.apiserver.discovery.ServedDocument;
import dev.berth.platform.apiserver.discovery.ServedResource;
import dev.berth.platform.apiserver.discovery.ServedResources;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenApiDocumentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-03T10:15:30Z"), ZoneOffset.UTC);
    private static final OpenApiDocuments DOCS =
            new OpenApiDocuments(ServedResources.all(), FieldExtensions.NONE, CLOCK);
    private static final List<String> WRITES = List.of("post", "put", "patch");
    private static final OpenApiDocuments MORE =
            new OpenApiDocuments(IssueThirteenKinds.all(), FieldExtensions.NONE, CLOCK);

    @Test
    void rootListsEachGroupVersionAtAUrlCarryingItsHash() throws IOException {
        ServedDocument root = DOCS.serve("/openapi/v3", null, null, null).orElseThrow();
        JsonNode paths = JSON.readTree(root.body()).get("paths");

        assertThat(root.status()).isEqualTo(200);
        assertThat(root.contentType()).isEqualTo("application/json");
        assertThat(paths.fieldNames()).toIterable().containsExactly("api/v1", "apis/apps/v1", "apis/authorization.k8s.io/v1",
                "apis/autoscaling/v1", "apis/autoscaling/v2", "apis/coordination.k8s.io/v1", "apis/events.k8s.io/v1", "apis/rbac.authorization.k8s.io/v1");
        for (String gv : DOCS.groupVersions()) {
            assertThat(paths.at("/" + gv.replace("/", "~1") + "/serverRelativeURL").asText())
                    .isEqualTo("/openapi/v3/" + gv + "?hash=" + DOCS.document(gv).orElseThrow().hash());
        }
        assertThat(DOCS.serve("/openapi/v3/", null, null, root.headers().get("ETag")).orElseThrow().status()).isEqualTo(304);
    }

    @Test
    void aDocumentFetchedWithItsHashIsImmutableForAYear() {
        String hash = DOCS.document("apis/apps/v1").orElseThrow().hash();

        ServedDocument doc = DOCS.serve("/openapi/v3/apis/apps/v1", hash, "application/json", null).orElseThrow();

        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.contentType()).isEqualTo("application/json");
        assertThat(doc.headers()).containsEntry("Cache-Control", "public, immutable")
                .containsEntry("Expires", "Sat, 03 Jan 2026 10:15:30 GMT")
                .containsEntry("Vary", "Accept")
                .containsEntry("ETag", "\"" + hash + "\"");
    }

    @Test
    void withoutAHashItIsServedWithoutCachingPromises() {
        ServedDocument doc = DOCS.serve("/openapi/v3/api/v1", "", null, null).orElseThrow();

        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.headers()).doesNotContainKeys("Cache-Control", "Expires").containsKey("ETag");
    }

    @Test
    void aStaleHashRedirectsToTheCurrentUrl() {
        String hash = DOCS.document("api/v1").orElseThrow().hash();

        ServedDocument doc = DOCS.serve("/openapi/v3/api/v1", "0BSOLETE", "*/*", null).orElseThrow();

        assertThat(doc.status()).isEqualTo(301);
        assertThat(doc.body()).isEmpty();
        assertThat(doc.headers()).containsEntry("Location", "/openapi/v3/api/v1?hash=" + hash);
    }

    @Test
    void aMatchingIfNoneMatchIsNotModified() {
        String etag = DOCS.serve("/openapi/v3/api/v1", null, null, null).orElseThrow().headers().get("ETag");

        ServedDocument doc = DOCS.serve("/openapi/v3/api/v1", null, null, etag).orElseThrow();

        assertThat(doc.status()).isEqualTo(304);
        assertThat(doc.body()).isEmpty();
    }

    /** handler3 serves JSON and protobuf; the core serves JSON only, so a protobuf-only Accept is 406. */
    @ParameterizedTest(name = "Accept ''{0}'' answers {1}")
    @CsvSource(delimiter = '|', value = {
            "application/json                                          | 200",
            "application/*                                             | 200",
            "''                                                        | 200",
            "application/com.github.proto-openapi.spec.v3.v1.0+protobuf | 406",
            "application/com.github.proto-openapi.spec.v3.v1.0+protobuf, application/json;q=0.5 | 200",
            "text/html                                                 | 406",
    })
    void documentsNegotiateJson(String accept, int status) {
        assertThat(DOCS.serve("/openapi/v3/apis/apps/v1", null, accept, null).orElseThrow().status()).isEqualTo(status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/openapi/v3/apis/batch/v1", "/openapi/v3/apis/apps", "/openapi/v2", "/openapi", "/api/v1"})
    void otherPathsAreNotOpenApiDocuments(String path) {
        assertThat(DOCS.serve(path, null, null, null)).isEmpty();
    }

    @Test
    void generationIsDeterministicAndTheHashFollowsTheContent() {
        OpenApiDocuments again = new OpenApiDocuments(ServedResources.all(), FieldExtensions.NONE, CLOCK);
        OpenApiDocuments withPatchMetadata = new OpenApiDocuments(ServedResources.all(), (owner, property) ->
                owner == PodSpec.class && property.equals("containers")
                        ? Map.of("x-kubernetes-patch-merge-key", "name") : Map.of(), CLOCK);

        for (String gv : DOCS.groupVersions()) {
            assertThat(again.document(gv).orElseThrow().body()).isEqualTo(DOCS.document(gv).orElseThrow().body());
        }
        assertThat(withPatchMetadata.document("apis/autoscaling/v2").orElseThrow().hash())
                .isEqualTo(DOCS.document("apis/autoscaling/v2").orElseThrow().hash());
        assertThat(withPatchMetadata.document("api/v1").orElseThrow().hash())
                .isNotEqualTo(DOCS.document("api/v1").orElseThrow().hash());
        assertThat(withPatchMetadata.document("apis/apps/v1").orElseThrow().hash())
                .isNotEqualTo(DOCS.document("apis/apps/v1").orElseThrow().hash());
        assertThat(withPatchMetadata.serve("/openapi/v3", null, null, null).orElseThrow().body())
                .isNotEqualTo(DOCS.serve("/openapi/v3", null, null, null).orElseThrow().body());
    }

    @Test
    void documentsAreOpenApi30WithBearerTokenSecurity() throws IOException {
        JsonNode doc = document("api/v1");

        assertThat(doc.get("openapi").asText()).isEqualTo("3.0.0");
        assertThat(doc.at("/info/title").asText()).isEqualTo("Kubernetes");
        assertThat(doc.at("/components/securitySchemes/BearerToken/type").asText()).isEqualTo("apiKey");
        assertThat(doc.at("/security/0").has("BearerToken")).isTrue();
    }

    @ParameterizedTest(name = "issue 13 kinds too: {0}")
    @ValueSource(booleans = {false, true})
    void everyReferenceResolvesWithinItsDocument(boolean issueThirteenKinds) throws IOException {
        OpenApiDocuments docs = issueThirteenKinds ? MORE : DOCS;
        for (String gv : docs.groupVersions()) {
            JsonNode doc = document(docs, gv);
            JsonNode schemas = doc.at("/components/schemas");
            List<String> refs = new ArrayList<>();
            collectRefs(doc, refs);
            assertThat(refs).as(gv).isNotEmpty()
                    .allSatisfy(ref -> assertThat(schemas.has(ref.substring(ModelSchemas.REF_PREFIX.length())))
                            .as(gv + " " + ref).isTrue());
        }
    }

    /** The operation ids upstream's api/openapi-spec/v3 documents give the same operations. */
    @ParameterizedTest(name = "{1} {0}")
    @CsvSource({
            "/api/v1/,                                                   get,    getCoreV1APIResources",
            "/api/v1/namespaces/{namespace}/pods,                        get,    listCoreV1NamespacedPod",
            "/api/v1/namespaces/{namespace}/pods,                        post,   createCoreV1NamespacedPod",
            "/api/v1/namespaces/{namespace}/pods,                        delete, deleteCoreV1CollectionNamespacedPod",
            "/api/v1/namespaces/{namespace}/pods/{name},                 get,    readCoreV1NamespacedPod",
            "/api/v1/namespaces/{namespace}/pods/{name},                 put,    replaceCoreV1NamespacedPod",
            "/api/v1/namespaces/{namespace}/pods/{name},                 patch,  patchCoreV1NamespacedPod",
            "/api/v1/namespaces/{namespace}/pods/{name},                 delete, deleteCoreV1NamespacedPod",
            "/api/v1/pods,                                               get,    listCoreV1PodForAllNamespaces",
            "/api/v1/namespaces/{namespace}/pods/{name}/log,             get,    readCoreV1NamespacedPodLog",
            "/api/v1/namespaces/{namespace}/pods/{name}/binding,         post,   createCoreV1NamespacedPodBinding",
            "/api/v1/namespaces/{namespace}/pods/{name}/eviction,        post,   createCoreV1NamespacedPodEviction",
            "/api/v1/namespaces/{namespace}/pods/{name}/status,          patch,  patchCoreV1NamespacedPodStatus",
            "/api/v1/nodes,                                              get,    listCoreV1Node",
            "/api/v1/nodes,                                              delete, deleteCoreV1CollectionNode",
            "/api/v1/nodes/{name}/status,                                put,    replaceCoreV1NodeStatus",
            "/api/v1/namespaces/{name}/finalize,                         put,    replaceCoreV1NamespaceFinalize",
            "/api/v1/namespaces/{name}/status,                           get,    readCoreV1NamespaceStatus",
            "/apis/apps/v1/,                                             get,    getAppsV1APIResources",
            "/apis/apps/v1/statefulsets,                                 get,    listAppsV1StatefulSetForAllNamespaces",
            "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale, get, readAppsV1NamespacedDeploymentScale",
            "/apis/apps/v1/namespaces/{namespace}/replicasets/{name}/scale, patch, patchAppsV1NamespacedReplicaSetScale",
            "/apis/autoscaling/v2/namespaces/{namespace}/horizontalpodautoscalers/{name}/status, put, replaceAutoscalingV2NamespacedHorizontalPodAutoscalerStatus",
    })
    void operationIdsAreUpstreams(String path, String method, String operationId) throws IOException {
        String gv = path.startsWith("/api/") ? "api/v1" : path.substring(1, path.indexOf('/', path.indexOf('/', 6) + 1));
        JsonNode op = document(gv).get("paths").get(path).get(method);

        assertThat(op.get("operationId").asText()).isEqualTo(operationId);
    }

    @Test
    void namespacesHaveNoDeleteCollectionOperation() throws IOException {
        JsonNode namespaces = document("api/v1").at("/paths/~1api~1v1~1namespaces");

        assertThat(namespaces.fieldNames()).toIterable().containsExactlyInAnyOrder("parameters", "get", "post");
    }

    @ParameterizedTest(name = "issue 13 kinds too: {0}")
    @ValueSource(booleans = {false, true})
    void writesDeclareFieldValidationAndPatchesAlsoDryRunFieldManagerAndForce(boolean issueThirteenKinds)
            throws IOException {
        OpenApiDocuments docs = issueThirteenKinds ? MORE : DOCS;
        int writes = 0;
        for (String gv : docs.groupVersions()) {
            for (Map.Entry<String, JsonNode> path : fields(document(docs, gv).get("paths"))) {
                for (String method : WRITES) {
                    JsonNode op = path.getValue().get(method);
                    if (op == null) {
                        continue;
                    }
                    writes++;
                    List<String> params = parameterNames(op);
                    assertThat(params).as(method + " " + path.getKey()).contains("fieldValidation", "dryRun", "fieldManager");
                    if (method.equals("patch")) {
                        assertThat(params).as(path.getKey()).contains("force");
                        assertThat(op.at("/requestBody/content").fieldNames()).toIterable().containsExactly(
                                "application/apply-patch+yaml", "application/json-patch+json",
                                "application/merge-patch+json", "application/strategic-merge-patch+json");
                    }
                }
            }
        }
        assertThat(writes).isGreaterThan(40);
    }

    @ParameterizedTest(name = "issue 13 kinds too: {0}")
    @ValueSource(booleans = {false, true})
    void everyOperationHasAUniqueIdAnActionAndAKindThatExplainCanFind(boolean issueThirteenKinds) throws IOException {
        OpenApiDocuments docs = issueThirteenKinds ? MORE : DOCS;
        Set<String> ids = new HashSet<>();
        for (String gv : docs.groupVersions()) {
            JsonNode doc = document(docs, gv);
            for (Map.Entry<String, JsonNode> path : fields(doc.get("paths"))) {
                for (Map.Entry<String, JsonNode> op : fields(path.getValue())) {
                    if (op.getKey().equals("parameters")) {
                        continue;
                    }
                    String where = op.getKey() + " " + path.getKey();
                    assertThat(ids.add(op.getValue().get("operationId").asText())).as(where).isTrue();
                    if (path.getKey().endsWith("/")) {
                        continue;
                    }
                    assertThat(op.getValue().has("x-kubernetes-action")).as(where).isTrue();
                    JsonNode gvk = op.getValue().get("x-kubernetes-group-version-kind");
                    assertThat(gvk).as(where).isNotNull();
                    // kubectl explain looks the schema up by the operation's kind, compared as a whole map
                    assertThat(fields(doc.at("/components/schemas")).stream()
                            .filter(s -> Stream.ofNullable(s.getValue().get("x-kubernetes-group-version-kind"))
                                    .flatMap(list -> fields(list).stream()).anyMatch(e -> e.getValue().equals(gvk))))
                            .as(where + " " + gvk).hasSize(1);
                }
            }
        }
    }

    /**
     * kubectl's QueryParamVerifierV3.HasSupport (cli-runtime/pkg/resource/query_param_verifier_v3.go) ported:
     * the first PATCH operation with the kind's x-kubernetes-group-version-kind decides. Rows of upstream's
     * TestV3SupportsQueryParamBatchV1 that do not need CRDs, with a served kind where upstream uses batch/v1 Job,
     * then every served kind.
     */
    @ParameterizedTest(name = "{0}/{1} {2} supports {3}: {4}")
    @CsvSource({
            "apps, v1, Deployment, fieldValidation, true",
            "'', v1, Namespace, fieldValidation, true",
            "bad, v1, Uknown, fieldValidation, false",
            "apps, v1, Deployment, UnknownQueryParam, false",
            "'', v1, List, fieldValidation, false",
    })
    void queryParamVerifierV3Rows(String group, String version, String kind, String param, boolean supported)
            throws IOException {
        assertThat(supportsQueryParamV3(new GroupVersionKind(group, version, kind), param)).isEqualTo(supported);
    }

    @Test
    void queryParamVerifierV3FindsFieldValidationForEveryPatchableKind() throws IOException {
        for (ServedResource r : IssueThirteenKinds.all()) {
            assertThat(supportsQueryParamV3(MORE, r.kind(), "fieldValidation")).as(r.kind().toString())
                    .isEqualTo(r.serves("patch"));
        }
    }

    @Test
    void aCreateOnlyResourceHasItsOneOperation() throws IOException {
        JsonNode paths = document(MORE, "apis/authorization.k8s.io/v1").get("paths");

        assertThat(paths.fieldNames()).toIterable().containsExactly("/apis/authorization.k8s.io/v1/",
                "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews");
        assertThat(paths.at("/~1apis~1authorization.k8s.io~1v1~1selfsubjectaccessreviews").fieldNames()).toIterable()
                .containsExactly("parameters", "post");
        assertThat(paths.at("/~1apis~1authorization.k8s.io~1v1~1selfsubjectaccessreviews/post/operationId").asText())
                .isEqualTo("createAuthorizationV1SelfSubjectAccessReview");
    }

    /** Operation ids of the groups issue 13 adds, as upstream's api/openapi-spec/v3 documents have them. */
    @ParameterizedTest(name = "{1} {0}")
    @CsvSource({
            "apis/rbac.authorization.k8s.io/v1, /apis/rbac.authorization.k8s.io/v1/clusterroles, get, listRbacAuthorizationV1ClusterRole",
            "apis/rbac.authorization.k8s.io/v1, /apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles, get, listRbacAuthorizationV1NamespacedRole",
            "apis/rbac.authorization.k8s.io/v1, /apis/rbac.authorization.k8s.io/v1/rolebindings, get, listRbacAuthorizationV1RoleBindingForAllNamespaces",
            "apis/coordination.k8s.io/v1, /apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}, put, replaceCoordinationV1NamespacedLease",
            "apis/events.k8s.io/v1, /apis/events.k8s.io/v1/namespaces/{namespace}/events, post, createEventsV1NamespacedEvent",
            "apis/apps/v1, /apis/apps/v1/namespaces/{namespace}/controllerrevisions/{name}, patch, patchAppsV1NamespacedControllerRevision",
            "api/v1, /api/v1/namespaces/{namespace}/serviceaccounts, get, listCoreV1NamespacedServiceAccount",
    })
    void issueThirteenOperationIdsAreUpstreams(String gv, String path, String method, String operationId)
            throws IOException {
        assertThat(document(MORE, gv).get("paths").get(path).get(method).get("operationId").asText()).isEqualTo(operationId);
    }

    private static boolean supportsQueryParamV3(GroupVersionKind gvk, String param) throws IOException {
        return supportsQueryParamV3(DOCS, gvk, param);
    }

    private static boolean supportsQueryParamV3(OpenApiDocuments docs, GroupVersionKind gvk, String param)
            throws IOException {
        if (gvk.equals(new GroupVersionKind("", "v1", "List"))) {
            return false;
        }
        String gvPath = gvk.group().isEmpty() ? "api/" + gvk.version() : "apis/" + gvk.group() + "/" + gvk.version();
        if (docs.document(gvPath).isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> path : fields(document(docs, gvPath).get("paths"))) {
            JsonNode patch = path.getValue().get("patch");
            if (patch == null) {
                continue;
            }
            JsonNode ext = patch.get("x-kubernetes-group-version-kind");
            if (ext == null || !ext.get("group").asText().equals(gvk.group()) || !ext.get("version").asText().equals(gvk.version())
                    || !ext.get("kind").asText().equals(gvk.kind())) {
                continue;
            }
            return parameterNames(patch).contains(param);
        }
        return false;
    }

    private static JsonNode document(String gv) throws IOException {
        return document(DOCS, gv);
    }

    private static JsonNode document(OpenApiDocuments docs, String gv) throws IOException {
        return JSON.readTree(docs.document(gv).orElseThrow().body());
    }

    private static List<String> parameterNames(JsonNode op) {
        List<String> names = new ArrayList<>();
        op.path("parameters").forEach(p -> names.add(p.get("name").asText()));
        return names;
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(Map.entry(String.valueOf(i), node.get(i)));
            }
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        it.forEachRemaining(out::add);
        return out;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject() && node.has("$ref")) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, refs));
    }
}
