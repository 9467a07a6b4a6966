package dev.berth.platform.apiserver.patch;

import static dev.berth.platform.apiserver.patch.PatchStrategy.MERGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JavaType;
import dev.berth.platform.apiserver.patch.PatchSchema.Field;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PatchSchemaTest {

    private static final PatchSchema KUBERNETES = PatchSchema.kubernetes();

    @Group("berth.dev")
    @Version("v1")
    static final class Widget extends CustomResource<Map<String, Object>, Void> implements Namespaced {
    }

    @Test
    void resolvesNestedTypesThroughTheModel() {
        JavaType type = KUBERNETES.typeOf(Deployment.class);
        for (String property : List.of("spec", "template", "spec")) {
            type = KUBERNETES.field(type, property).type();
        }
        assertThat(type.getRawClass()).isEqualTo(PodSpec.class);

        Field containers = KUBERNETES.field(type, "containers");
        assertThat(containers.merges()).isTrue();
        assertThat(containers.mergeKey()).isEqualTo("name");
        assertThat(containers.elementType().getRawClass()).isEqualTo(Container.class);

        Field env = KUBERNETES.field(containers.elementType(), "env");
        assertThat(env.mergeKey()).isEqualTo("name");
        assertThat(env.elementType().getRawClass()).isEqualTo(EnvVar.class);

        Field args = KUBERNETES.field(containers.elementType(), "args");
        assertThat(args.merges()).as("args are replaced").isFalse();
        assertThat(args.type()).isNotNull();
    }

    @Test
    void mapValuesAndUndeclaredFieldsHaveNoStrategy() {
        JavaType meta = KUBERNETES.typeOf(ObjectMeta.class);
        Field labels = KUBERNETES.field(meta, "labels");
        assertThat(labels.type().isMapLikeType()).isTrue();
        assertThat(KUBERNETES.field(labels.type(), "app").type().getRawClass()).isEqualTo(String.class);

        Field extra = KUBERNETES.field(meta, "notAField");
        assertThat(extra.type()).isNull();
        assertThat(extra.merges()).isFalse();
        assertThat(KUBERNETES.field(null, "anything")).isEqualTo(Field.UNKNOWN);
    }

    @Test
    void listsTheTagsForOpenApi() {
        assertThat(KUBERNETES.entries())
                .extracting(m -> m.type().getSimpleName(), PatchMeta::property, PatchMeta::mergeKey, PatchMeta::patchStrategy)
                .contains(
                        tuple("PodSpec", "containers", "name", "merge"),
                        tuple("PodSpec", "volumes", "name", "merge,retainKeys"),
                        tuple("Container", "ports", "containerPort", "merge"),
                        tuple("Container", "env", "name", "merge"),
                        tuple("Container", "volumeMounts", "mountPath", "merge"),
                        tuple("ServiceSpec", "ports", "port", "merge"),
                        tuple("ObjectMeta", "ownerReferences", "uid", "merge"),
                        tuple("ObjectMeta", "finalizers", "", "merge"),
                        tuple("NodeStatus", "addresses", "type", "merge"),
                        tuple("DeploymentSpec", "strategy", "", "retainKeys"),
                        tuple("HorizontalPodAutoscalerStatus", "conditions", "type", "merge"),
                        tuple("PodDisruptionBudgetSpec", "selector", "", "replace"));
        assertThat(KUBERNETES.find(PodSpec.class, "topologySpreadConstraints")).get().extracting(PatchMeta::mergeKey).isEqualTo("topologyKey");
        assertThat(KUBERNETES.find(PodSpec.class, "hostAliases")).get().extracting(PatchMeta::mergeKey).isEqualTo("ip");
        assertThat(KUBERNETES.find(Container.class, "args")).isEmpty();
    }

    @Test
    void servesStrategicMergeForBuiltInKindsOnly() {
        assertThat(List.of(Deployment.class, StatefulSet.class, ConfigMap.class, Node.class, HorizontalPodAutoscaler.class, Lease.class,
                ClusterRole.class)).allMatch(KUBERNETES::supports);
        assertThat(KUBERNETES.supports(GenericKubernetesResource.class)).isFalse();
        assertThat(KUBERNETES.supports(Widget.class)).isFalse();
    }

    @Test
    void theBuiltInTableAgreesWithTheModel() {
        // kubernetes() skips this check at start; the same entries through the checking constructor
        PatchSchema checked = new PatchSchema(KubernetesPatchMeta.ENTRIES, KubernetesPatchMeta.API_VERSIONS);
        assertThat(checked.entries()).isEqualTo(KUBERNETES.entries()).hasSizeGreaterThan(40);
    }

    @Test
    void refusesEntriesTheModelContradicts() {
        assertThatThrownBy(() -> schema(PatchMeta.of(PodSpec.class, "containerz", "name", MERGE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no JSON property containerz");
        assertThatThrownBy(() -> schema(PatchMeta.of(PodSpec.class, "containers", "nam", MERGE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no merge key property nam");
        assertThatThrownBy(() -> schema(PatchMeta.of(PodSpec.class, "containers", "", MERGE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a merge key");
        assertThatThrownBy(() -> schema(PatchMeta.of(ObjectMeta.class, "finalizers", "name", MERGE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot have one");
        assertThatThrownBy(() -> schema(PatchMeta.of(PodSpec.class, "containers", "name", MERGE), PatchMeta.of(PodSpec.class, "containers", "name", MERGE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declared twice");
        assertThatThrownBy(() -> PatchMeta.of(PodSpec.class, "containers", "name"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no patch strategy");
        assertThatThrownBy(() -> PatchMeta.of(PodSpec.class, "containers", "name", PatchStrategy.REPLACE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not merged");
    }

    private static PatchSchema schema(PatchMeta... entries) {
        return new PatchSchema(List.of(entries), Set.of());
    }
}
