package dev.berth.platform.api.manifest;

import static dev.berth.platform.api.manifest.ManifestCheckTest.DEPLOYMENT;
import static dev.berth.platform.api.manifest.ManifestCheckTest.STATEFULSET;
import static dev.berth.platform.api.manifest.ManifestCheckTest.check;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.controller.PodTemplates;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import dev.berth.support.problem.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Names too long for the store or for the names derived from them are refused at apply, naming metadata.name. */
class ObjectNamesTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    static String configMap(String name) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\ndata: {k: v}\n";
    }

    static String deployment(String name) {
        return DEPLOYMENT.replace("  name: web\n", "  name: " + name + "\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ConfigMap of 251 characters (the store's file limit; was a 500)  | CONFIGMAP   | 251 | must be no more than 233 characters",
            "ConfigMap of 253 characters (Kubernetes' own limit)              | CONFIGMAP   | 253 | must be no more than 233 characters",
            "ConfigMap of 254 characters                                      | CONFIGMAP   | 254 | must be no more than 253 characters",
            "Deployment of 240 characters (its pods were stuck)               | DEPLOYMENT  | 240 | must be no more than 219 characters",
            "Deployment of 220 characters                                     | DEPLOYMENT  | 220 | must be no more than 219 characters",
            "StatefulSet of 61 characters (pod-name label of ordinal 99)      | STATEFULSET | 61  | must be no more than 60 characters",
    })
    void tooLongNamesAreRefusedNamingTheField(String row, ResourceKind kind, int length, String message) {
        String name = "a".repeat(length);
        String yaml = switch (kind) {
            case DEPLOYMENT -> deployment(name);
            case STATEFULSET -> STATEFULSET.replace("  name: db\n", "  name: " + name + "\n");
            default -> configMap(name);
        };
        assertThatThrownBy(() -> check(yaml)).isInstanceOfSatisfying(ManifestException.class, e -> {
            assertThat(e.type().status().getStatusCode()).isEqualTo(400);
            assertThat(e.errors()).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo("document[0].metadata.name");
                assertThat(error.message()).startsWith(message);
            });
        });
    }

    @Test
    void theLongestAcceptedNamesFit() {
        assertThat(check(configMap("c".repeat(233)))).hasSize(1);
        assertThat(check(deployment("d".repeat(219)))).hasSize(1);
        assertThat(check(STATEFULSET.replace("  name: db\n", "  name: " + "s".repeat(60) + "\n"))).hasSize(1);
    }

    /** The longest Deployment accepted: its ReplicaSet, a pod and Events about both are stored as the core names them. */
    @Test
    void everyNameDerivedFromTheLongestDeploymentFitsTheStore(@TempDir Path dir) {
        Deployment d = (Deployment) check(deployment("d".repeat(ObjectNames.DEPLOYMENT_NAME))).get(0);
        d.getMetadata().setNamespace("default");
        // the longest hash the 32-bit FNV hash can give, whatever this template hashes to
        String hash = PodTemplates.hash(d.getSpec().getTemplate(), JSON);
        assertThat(hash.length()).isLessThanOrEqualTo(ObjectNames.REPLICASET_SUFFIX - 1);
        String podName = d.getMetadata().getName() + "-" + "h".repeat(ObjectNames.REPLICASET_SUFFIX - 1) + "-" + PodTemplates.randomSuffix();
        try (ObjectStore store = new ObjectStore(dir, JSON, Clock.systemUTC(), 100)) {
            Pod pod = store.create(PodTemplates.newPod(d.getSpec().getTemplate(), d, podName, Map.of(), JSON));
            new EventRecorder(store, Clock.systemUTC()).normal(pod, "kubelet", "Started", "started");
            List<HasMetadata> events = store.list(ResourceKind.EVENT, "default", null);
            assertThat(events).singleElement().satisfies(e -> assertThat(e.getMetadata().getName()).hasSize(ObjectNames.STORE_NAME));
            assertThat(store.get(new ObjectKey(ResourceKind.POD, "default", podName))).isPresent();
        }
    }

    @Test
    void aManifestWithoutMetadataIsRefusedNamingMetadataName() {
        assertThatThrownBy(() -> check("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}")).isInstanceOfSatisfying(ManifestException.class,
                e -> assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("document[0].metadata.name"));
    }
}
