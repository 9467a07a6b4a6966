package dev.berth.platform.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.apiserver.patch.PatchException.Reason;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The patches kubectl sends (set image, rollout restart/pause, label, annotate, client-side apply with
 * {@code $setElementOrder} and {@code $retainKeys}, edit), and the ones controllers send to status, applied to
 * real fabric8 kinds; then the refusals, which change nothing.
 */
class PatchesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KubernetesSerialization KUBE = new KubernetesSerialization();
    private static final Patches PATCHES = new Patches();

    private static final String DEPLOYMENT = """
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","namespace":"default","labels":{"app":"web"},
                         "annotations":{"deployment.kubernetes.io/revision":"1"},"finalizers":["berth.dev/a"]},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
               "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
               "template":{"metadata":{"labels":{"app":"web"}},
                 "spec":{"containers":[
                   {"name":"app","image":"x:1","args":["--a"],
                    "ports":[{"containerPort":8080,"name":"http"},{"containerPort":9090,"name":"metrics"}],
                    "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
                   {"name":"sidecar","image":"s:1"}],
                  "volumes":[{"name":"data","emptyDir":{}}]}}}}
            """;

    @Test
    void setImageChangesOneContainer() {
        // kubectl set image deployment/web app=x:2
        JsonNode result = strategic(DEPLOYMENT, """
                {"spec":{"template":{"spec":{"containers":[{"image":"x:2","name":"app"}]}}}}""");

        Deployment deployment = KUBE.convertValue(result, Deployment.class);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers())
                .extracting(Container::getName, Container::getImage).containsExactly(tuple("app", "x:2"), tuple("sidecar", "s:1"));
        assertThat(result.at("/spec/template/spec/containers/0/env")).isEqualTo(tree(DEPLOYMENT).at("/spec/template/spec/containers/0/env"));
        assertThat(result.at("/spec/template/spec/containers/0/ports")).hasSize(2);
    }

    @Test
    void rolloutRestartAnnotatesTheTemplate() {
        JsonNode result = strategic(DEPLOYMENT, """
                {"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-12-03T16:00:00Z"}}}}}""");

        assertThat(result.at("/spec/template/metadata")).isEqualTo(tree("""
                {"labels":{"app":"web"},"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-12-03T16:00:00Z"}}"""));
        assertThat(result.at("/spec/template/spec")).isEqualTo(tree(DEPLOYMENT).at("/spec/template/spec"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "kubectl label deploy web tier=front | {\"metadata\":{\"labels\":{\"tier\":\"front\"}}}                       | /metadata/labels      | {\"app\":\"web\",\"tier\":\"front\"}",
            "kubectl label deploy web app-       | {\"metadata\":{\"labels\":{\"app\":null}}}                             | /metadata/labels      | {}",
            "kubectl annotate deploy web note=x  | {\"metadata\":{\"annotations\":{\"note\":\"x\"}}}                      | /metadata/annotations | {\"deployment.kubernetes.io/revision\":\"1\",\"note\":\"x\"}",
            "kubectl rollout pause               | {\"spec\":{\"paused\":true}}                                         | /spec/paused          | true",
            "kubectl scale (as a patch)          | {\"spec\":{\"replicas\":5}}                                          | /spec/replicas        | 5",
            "finalizer added: a merged set       | {\"metadata\":{\"finalizers\":[\"berth.dev/b\",\"berth.dev/a\"]}}    | /metadata/finalizers  | [\"berth.dev/b\",\"berth.dev/a\"]",
            "finalizer removed                   | {\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"berth.dev/a\"]}} | /metadata/finalizers | []",
            "annotations wiped by $patch: delete | {\"metadata\":{\"annotations\":{\"$patch\":\"delete\"}}}             | /metadata/annotations | {}",
            "a non-merging list is replaced      | {\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"args\":[\"--b\"]}]}}}} | /spec/template/spec/containers/0/args | [\"--b\"]",
            "a port merged by containerPort      | {\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"ports\":[{\"containerPort\":9090,\"protocol\":\"UDP\"}]}]}}}} | /spec/template/spec/containers/0/ports | [{\"containerPort\":8080,\"name\":\"http\"},{\"containerPort\":9090,\"name\":\"metrics\",\"protocol\":\"UDP\"}]",
            "a container list replaced           | {\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"only\",\"image\":\"o:1\"},{\"$patch\":\"replace\"}]}}}} | /spec/template/spec/containers | [{\"name\":\"only\",\"image\":\"o:1\"}]",
            "a container deleted                 | {\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"$patch\":\"delete\"}]}}}} | /spec/template/spec/containers/1 | null",
    })
    void appliesKubectlPatch(String command, String patch, String pointer, String expected) {
        JsonNode result = strategic(DEPLOYMENT, patch);

        JsonNode at = result.at(pointer);
        assertThat(at.isMissingNode() ? tree("null") : at).isEqualTo(tree(expected));
    }

    @Test
    void clientSideApplyMergesWithTheLiveObject() {
        // kubectl apply of a manifest that changed app's image and env (B removed, C added), replaced the sidecar by
        // metrics and switched to Recreate: the three-way patch kubectl computes against its last-applied configuration
        JsonNode result = strategic(DEPLOYMENT, """
                {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}},
                 "spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"},
                   "template":{"spec":{
                     "$setElementOrder/containers":[{"name":"app"},{"name":"metrics"}],
                     "containers":[
                       {"$setElementOrder/env":[{"name":"A"},{"name":"C"}],
                        "env":[{"name":"C","value":"3"},{"$patch":"delete","name":"B"}],"image":"x:2","name":"app"},
                       {"image":"m:1","name":"metrics"},
                       {"$patch":"delete","name":"sidecar"}]}}}}""");

        assertThat(result.at("/spec/strategy")).as("$retainKeys clears rollingUpdate").isEqualTo(tree("{\"type\":\"Recreate\"}"));
        assertThat(result.at("/spec/template/spec/containers")).isEqualTo(tree("""
                [{"name":"app","image":"x:2","args":["--a"],
                  "ports":[{"containerPort":8080,"name":"http"},{"containerPort":9090,"name":"metrics"}],
                  "env":[{"name":"A","value":"1"},{"name":"C","value":"3"}]},
                 {"image":"m:1","name":"metrics"}]"""));
        assertThat(result.at("/metadata/annotations")).hasSize(2);
        assertThat(KUBE.convertValue(result, Deployment.class).getSpec().getStrategy().getRollingUpdate()).isNull();
    }

    @Test
    void clientSideApplyReordersByTheManifest() {
        // the manifest lists sidecar first now; the live list's own elements (none here) would keep their places
        JsonNode result = strategic(DEPLOYMENT, """
                {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"app"}]}}}}""");

        assertThat(result.at("/spec/template/spec/containers")).extracting(c -> c.get("name").asText()).containsExactly("sidecar", "app");
    }

    @Test
    void retainKeysSwitchesAVolumeSource() {
        JsonNode result = strategic(DEPLOYMENT, """
                {"spec":{"template":{"spec":{"$setElementOrder/volumes":[{"name":"data"}],
                  "volumes":[{"$retainKeys":["configMap","name"],"configMap":{"name":"cfg"},"name":"data"}]}}}}""");

        assertThat(result.at("/spec/template/spec/volumes")).isEqualTo(tree("[{\"name\":\"data\",\"configMap\":{\"name\":\"cfg\"}}]"));
    }

    @Test
    void editOfAServiceMergesPortsByPort() {
        String service = """
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},
                 "spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":8080},{"name":"https","port":443,"targetPort":8443}]}}""";

        JsonNode result = PATCHES.apply(PatchType.STRATEGIC_MERGE, tree(service), tree("""
                {"spec":{"ports":[{"port":80,"targetPort":9000}]}}"""), Service.class);

        assertThat(result.at("/spec/ports")).isEqualTo(tree("""
                [{"name":"http","port":80,"targetPort":9000},{"name":"https","port":443,"targetPort":8443}]"""));
    }

    @Test
    void statusPatchesMergeConditionsAndAddressesByType() {
        String node = """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},
                 "status":{"addresses":[{"type":"InternalIP","address":"10.0.0.1"},{"type":"Hostname","address":"n1"}],
                   "conditions":[{"type":"Ready","status":"True"},{"type":"MemoryPressure","status":"False"}]}}""";

        JsonNode result = PATCHES.apply(PatchType.STRATEGIC_MERGE, tree(node), tree("""
                {"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady"}],
                           "addresses":[{"type":"InternalIP","address":"10.0.0.2"}]}}"""), Node.class);

        assertThat(result.at("/status")).isEqualTo(tree("""
                {"addresses":[{"type":"InternalIP","address":"10.0.0.2"},{"type":"Hostname","address":"n1"}],
                 "conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady"},{"type":"MemoryPressure","status":"False"}]}"""));

        String hpa = """
                {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"web"},
                 "status":{"conditions":[{"type":"AbleToScale","status":"True"},{"type":"ScalingActive","status":"True"}]}}""";
        JsonNode scaled = PATCHES.apply(PatchType.STRATEGIC_MERGE, tree(hpa), tree("""
                {"status":{"conditions":[{"type":"ScalingActive","status":"False"}]}}"""), HorizontalPodAutoscaler.class);
        assertThat(scaled.at("/status/conditions")).extracting(c -> c.get("status").asText()).containsExactly("True", "False");
    }

    @Test
    void ownerReferencesMergeByUid() {
        String pod = """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","ownerReferences":[{"uid":"u1","kind":"ReplicaSet","name":"a"}]}}""";

        JsonNode result = PATCHES.apply(PatchType.STRATEGIC_MERGE, tree(pod), tree("""
                {"metadata":{"ownerReferences":[{"uid":"u2","kind":"ReplicaSet","name":"b"},{"uid":"u1","$patch":"delete"}]}}"""), Pod.class);

        assertThat(result.at("/metadata/ownerReferences")).isEqualTo(tree("[{\"uid\":\"u2\",\"kind\":\"ReplicaSet\",\"name\":\"b\"}]"));
    }

    @Test
    void mergePatchReplacesListsAndJsonPatchEdits() {
        JsonNode merged = PATCHES.apply(PatchType.MERGE, tree(DEPLOYMENT), tree("""
                {"spec":{"template":{"spec":{"containers":[{"image":"x:2","name":"app"}]}}}}"""), Deployment.class);
        assertThat(merged.at("/spec/template/spec/containers")).as("RFC 7386 replaces the list").isEqualTo(tree("[{\"image\":\"x:2\",\"name\":\"app\"}]"));

        JsonNode edited = PATCHES.apply(PatchType.JSON, tree(DEPLOYMENT), tree("""
                [{"op":"replace","path":"/spec/template/spec/containers/1/image","value":"s:2"}]"""), Deployment.class);
        assertThat(edited.at("/spec/template/spec/containers/1/image").asText()).isEqualTo("s:2");
    }

    @Test
    void strategicMergeOnACustomKindIsUnsupported() {
        String widget = "{\"apiVersion\":\"berth.dev/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},\"spec\":{\"size\":1}}";

        assertThat(PATCHES.supports(PatchType.STRATEGIC_MERGE, GenericKubernetesResource.class)).isFalse();
        assertThat(PATCHES.supports(PatchType.MERGE, GenericKubernetesResource.class)).isTrue();
        assertThat(PATCHES.supports(PatchType.STRATEGIC_MERGE, Deployment.class)).isTrue();
        assertRefused(PatchType.STRATEGIC_MERGE, widget, "{\"spec\":{\"size\":2}}", GenericKubernetesResource.class,
                Reason.UNSUPPORTED_MEDIA_TYPE, "strategic merge patch is not supported for GenericKubernetesResource");
        assertThat(PATCHES.apply(PatchType.MERGE, tree(widget), tree("{\"spec\":{\"size\":2}}"), GenericKubernetesResource.class)
                .at("/spec/size").asInt()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0} → {3}")
    @CsvSource(delimiter = '|', value = {
            "element without its merge key | STRATEGIC_MERGE | {\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":\"x:2\"}]}}}} | INVALID | the patch's list `spec.template.spec.containers` has an element without its merge key `name`",
            "deletion without its merge key | STRATEGIC_MERGE | {\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"$patch\":\"delete\"}]}}}} | INVALID | the patch's list `spec.template.spec.containers` has an element without its merge key `name`",
            "nested element without key     | STRATEGIC_MERGE | {\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"env\":[{\"value\":\"1\"}]}]}}}} | INVALID | the patch's list `spec.template.spec.containers[name=app].env` has an element without its merge key `name`",
            "unknown $patch on an object    | STRATEGIC_MERGE | {\"metadata\":{\"labels\":{\"$patch\":\"merge\"}}} | INVALID | `metadata.labels`: unknown directive `$patch: \"merge\"`",
            "$patch: merge in a list        | STRATEGIC_MERGE | {\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"$patch\":\"merge\"}]}}}} | INVALID | `$patch: merge` is not supported in a list",
            "field outside $retainKeys      | STRATEGIC_MERGE | {\"spec\":{\"strategy\":{\"$retainKeys\":[\"type\"],\"type\":\"Recreate\",\"rollingUpdate\":{\"maxSurge\":1}}}} | BAD_REQUEST | the patch sets `rollingUpdate`, which its `$retainKeys` list does not retain",
            "$retainKeys not a list         | STRATEGIC_MERGE | {\"spec\":{\"strategy\":{\"$retainKeys\":\"type\"}}} | BAD_REQUEST | `$retainKeys` must be a list",
            "order the patch contradicts    | STRATEGIC_MERGE | {\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"app\"},{\"name\":\"sidecar\"}],\"containers\":[{\"name\":\"sidecar\",\"image\":\"s:2\"},{\"name\":\"app\",\"image\":\"x:2\"}]}}}} | INVALID | does not match its `$setElementOrder/containers` list",
            "malformed deletion directive   | STRATEGIC_MERGE | {\"metadata\":{\"$deleteFromPrimitiveList\":[\"berth.dev/a\"]}} | BAD_REQUEST | it must read `$deleteFromPrimitiveList/<list>`",
            "lists of lists                 | STRATEGIC_MERGE | {\"metadata\":{\"finalizers\":[[\"x\"]]}} | INVALID | lists of lists are not supported",
            "a list, not an object          | STRATEGIC_MERGE | [{\"spec\":{}}] | BAD_REQUEST | a strategic merge patch must be a JSON object",
            "merge patch that is null       | MERGE           | null | BAD_REQUEST | must be a JSON object, not null",
            "merge patch that is a list     | MERGE           | [1] | INVALID | the patched apps/v1 Deployment is not a JSON object but array",
            "JSON patch replacing the root  | JSON            | [{\"op\":\"replace\",\"path\":\"\",\"value\":\"x\"}] | INVALID | is not a JSON object but string",
            "JSON patch on a missing path   | JSON            | [{\"op\":\"replace\",\"path\":\"/spec/paused\",\"value\":true}] | INVALID | the JSON patch does not apply",
    })
    void refusesAndChangesNothing(String name, PatchType type, String patch, Reason reason, String message) {
        assertRefused(type, DEPLOYMENT, patch, Deployment.class, reason, message);
    }

    @Test
    void strategicMergeOfAConfigMapIsAMergePatch() {
        String configMap = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"k\":\"v\",\"old\":\"o\"}}";

        JsonNode result = PATCHES.apply(PatchType.STRATEGIC_MERGE, tree(configMap), tree("{\"data\":{\"k\":\"v2\",\"old\":null,\"new\":\"n\"}}"),
                ConfigMap.class);

        assertThat(result.get("data")).isEqualTo(tree("{\"k\":\"v2\",\"new\":\"n\"}"));
    }

    private static void assertRefused(PatchType type, String current, String patch, Class<? extends HasMetadata> kind, Reason reason,
            String message) {
        JsonNode currentTree = tree(current);
        JsonNode patchTree = tree(patch);

        assertThatThrownBy(() -> PATCHES.apply(type, currentTree, patchTree, kind))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(message);
        assertThat(currentTree).as("the object is unchanged").isEqualTo(tree(current));
        assertThat(patchTree).as("the patch is unchanged").isEqualTo(tree(patch));
    }

    private static JsonNode strategic(String current, String patch) {
        JsonNode currentTree = tree(current);
        JsonNode patchTree = tree(patch);
        JsonNode result = PATCHES.apply(PatchType.STRATEGIC_MERGE, currentTree, patchTree, Deployment.class);
        assertThat(currentTree).as("the object is unchanged").isEqualTo(tree(current));
        assertThat(patchTree).as("the patch is unchanged").isEqualTo(tree(patch));
        return result;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
