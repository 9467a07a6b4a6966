package dev.berth.platform.apiserver.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServedResourcesTest {

    @Test
    void everyResourceKindIsServedWithItsNamesAndScope() {
        List<ServedResource> served = ServedResources.all();

        // and what is answered but never stored: the two self reviews and the bindings collection
        assertThat(served).hasSize(ResourceKind.values().length + 3);
        for (ResourceKind k : ResourceKind.values()) {
            ServedResource r = served.stream().filter(s -> s.plural().equals(k.plural()) && s.apiVersion().equals(k.apiVersion()))
                    .findFirst().orElseThrow();
            assertThat(r.apiVersion()).isEqualTo(k.apiVersion());
            assertThat(r.kind().kind()).isEqualTo(k.kind());
            assertThat(r.namespaced()).isEqualTo(k.namespaced());
            assertThat(r.type()).isEqualTo(k.type());
            // a short name resolves to the resource in its group's preferred version (hpa: autoscaling/v2, not v1)
            r.shortNames().forEach(shortName -> assertThat(ResourceKind.parse(shortName).map(ResourceKind::plural)).contains(k.plural()));
        }
        assertThat(resource(served, "deployments").shortNames()).containsExactly("deploy");
        assertThat(resource(served, "pods").singular()).isEqualTo("pod");
        assertThat(resource(served, "endpoints").singular()).isEqualTo("endpoints");
    }

    @Test
    void verbsAreTheGenericStoresExceptWhereUpstreamLacksOne() {
        List<ServedResource> served = ServedResources.all();

        assertThat(resource(served, "deployments").verbs()).isEqualTo(ServedResources.STANDARD_VERBS);
        assertThat(resource(served, "namespaces").verbs()).doesNotContain("deletecollection").hasSize(7);
        // kube-apiserver's core/v1 "bindings": namespaced, kind Binding, create only
        assertThat(resource(served, "bindings").verbs()).containsExactly("create");
        assertThat(resource(served, "bindings").namespaced()).isTrue();
        assertThat(resource(served, "bindings").kind().kind()).isEqualTo("Binding");
    }

    @Test
    void podsHaveTheirFourSubresourcesWithUpstreamKindsAndVerbs() {
        ServedResource pods = resource(ServedResources.all(), "pods");

        assertThat(pods.subresources()).extracting(Subresource::name).containsExactly("binding", "eviction", "log", "status");
        assertThat(sub(pods, "binding")).isEqualTo(new Subresource("binding", new GroupVersionKind("", "v1", "Binding"),
                Binding.class, List.of("create")));
        assertThat(sub(pods, "eviction")).isEqualTo(new Subresource("eviction",
                new GroupVersionKind("policy", "v1", "Eviction"), Eviction.class, List.of("create")));
        assertThat(sub(pods, "log").text()).isTrue();
        assertThat(sub(pods, "log").kind()).isEqualTo(pods.kind());
        assertThat(sub(pods, "status")).isEqualTo(new Subresource("status", pods.kind(), Pod.class,
                List.of("get", "patch", "update")));
    }

    @Test
    void workloadsScaleThroughAutoscalingV1Scale() {
        for (String plural : List.of("deployments", "replicasets", "statefulsets")) {
            ServedResource r = resource(ServedResources.all(), plural);
            assertThat(r.subresources()).extracting(Subresource::name).containsExactly("scale", "status");
            assertThat(sub(r, "scale").kind()).isEqualTo(new GroupVersionKind("autoscaling", "v1", "Scale"));
            assertThat(sub(r, "scale").body()).isEqualTo(Scale.class);
        }
        assertThat(sub(resource(ServedResources.all(), "namespaces"), "finalize").verbs()).containsExactly("update");
        assertThat(resource(ServedResources.all(), "configmaps").subresources()).isEmpty();
    }

    @Test
    void theAllCategoryHoldsWhatUpstreamPutsThere() {
        assertThat(ServedResources.all()).filteredOn(r -> r.categories().contains("all")).extracting(ServedResource::plural)
                .containsExactlyInAnyOrder("pods", "services", "deployments", "replicasets", "statefulsets",
                        "horizontalpodautoscalers", "horizontalpodautoscalers"); // autoscaling/v2's and v1's: one storage, its Categories()
    }

    @Test
    void groupsComeInUpstreamOrderWithResourcesSortedByName() {
        Map<String, Map<String, List<ServedResource>>> groups = ServedResources.byGroupVersion(ServedResources.all());

        assertThat(groups.keySet()).containsExactly("", "apps", "events.k8s.io", "authorization.k8s.io", "autoscaling", "rbac.authorization.k8s.io", "coordination.k8s.io");
        assertThat(groups.get("").get("v1")).extracting(ServedResource::plural).isSorted();
        assertThat(groups.get("apps").get("v1")).extracting(ServedResource::plural)
                .containsExactly("controllerrevisions", "deployments", "replicasets", "statefulsets");
        assertThat(groups.get("autoscaling").keySet()).containsExactly("v2", "v1");
    }

    private static ServedResource resource(List<ServedResource> served, String plural) {
        return served.stream().filter(r -> r.plural().equals(plural)).findFirst().orElseThrow();
    }

    private static Subresource sub(ServedResource r, String name) {
        return r.subresources().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
