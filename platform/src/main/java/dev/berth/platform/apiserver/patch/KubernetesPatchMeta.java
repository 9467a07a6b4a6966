package dev.berth.platform.apiserver.patch;

import static dev.berth.platform.apiserver.patch.PatchStrategy.MERGE;
import static dev.berth.platform.apiserver.patch.PatchStrategy.REPLACE;
import static dev.berth.platform.apiserver.patch.PatchStrategy.RETAIN_KEYS;

import io.fabric8.kubernetes.api.model.ComponentStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatus;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceCIDRStatus;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import java.util.List;
import java.util.Set;

/**
 * The {@code patchStrategy}/{@code patchMergeKey} tags of the Kubernetes API types, transcribed from kubernetes/api
 * at 10b39a39 ({@code core/v1}, {@code apps/v1}, {@code autoscaling/v2}, {@code batch/v1}, {@code policy/v1},
 * {@code networking/v1} {@code types.go}) and kubernetes/apimachinery at eed236ce ({@code pkg/apis/meta/v1/types.go}),
 * one row per tagged field of the group/versions below. Fields newer than fabric8's model (PodSpec
 * {@code evictionResponders}, PodStatus {@code nodeAllocatableResourceClaimStatuses}, the {@code VolumeHealthStatus}
 * types, batch's {@code JobSchedulingConfiguration}) are left out: the model cannot hold them. A StatefulSet's
 * {@code updateStrategy} carries no tag upstream, unlike a Deployment's {@code strategy}.
 */
final class KubernetesPatchMeta {

    /** The group/versions the rows describe completely (most have no tagged field at all): strategic merge serves their kinds. */
    static final Set<String> API_VERSIONS = Set.of("v1", "apps/v1", "autoscaling/v1", "autoscaling/v2", "batch/v1",
            "policy/v1", "networking.k8s.io/v1", "discovery.k8s.io/v1", "coordination.k8s.io/v1",
            "rbac.authorization.k8s.io/v1", "events.k8s.io/v1", "scheduling.k8s.io/v1", "node.k8s.io/v1");

    static final List<PatchMeta> ENTRIES = List.of(
            // meta/v1
            PatchMeta.of(ObjectMeta.class, "ownerReferences", "uid", MERGE),
            PatchMeta.of(ObjectMeta.class, "finalizers", "", MERGE),
            // core/v1
            PatchMeta.of(PodSpec.class, "volumes", "name", MERGE, RETAIN_KEYS),
            PatchMeta.of(PodSpec.class, "initContainers", "name", MERGE),
            PatchMeta.of(PodSpec.class, "containers", "name", MERGE),
            PatchMeta.of(PodSpec.class, "ephemeralContainers", "name", MERGE),
            PatchMeta.of(PodSpec.class, "imagePullSecrets", "name", MERGE),
            PatchMeta.of(PodSpec.class, "hostAliases", "ip", MERGE),
            PatchMeta.of(PodSpec.class, "topologySpreadConstraints", "topologyKey", MERGE),
            PatchMeta.of(PodSpec.class, "schedulingGates", "name", MERGE),
            PatchMeta.of(PodSpec.class, "resourceClaims", "name", MERGE, RETAIN_KEYS),
            PatchMeta.of(Container.class, "ports", "containerPort", MERGE),
            PatchMeta.of(Container.class, "env", "name", MERGE),
            PatchMeta.of(Container.class, "volumeMounts", "mountPath", MERGE),
            PatchMeta.of(Container.class, "volumeDevices", "devicePath", MERGE),
            // EphemeralContainerCommon, which fabric8 flattens into EphemeralContainer
            PatchMeta.of(EphemeralContainer.class, "ports", "containerPort", MERGE),
            PatchMeta.of(EphemeralContainer.class, "env", "name", MERGE),
            PatchMeta.of(EphemeralContainer.class, "volumeMounts", "mountPath", MERGE),
            PatchMeta.of(EphemeralContainer.class, "volumeDevices", "devicePath", MERGE),
            PatchMeta.of(ContainerStatus.class, "volumeMounts", "mountPath", MERGE),
            PatchMeta.of(ContainerStatus.class, "allocatedResourcesStatus", "name", MERGE),
            PatchMeta.of(PodStatus.class, "conditions", "type", MERGE),
            PatchMeta.of(PodStatus.class, "hostIPs", "ip", MERGE),
            PatchMeta.of(PodStatus.class, "podIPs", "ip", MERGE),
            PatchMeta.of(PodStatus.class, "resourceClaimStatuses", "name", MERGE, RETAIN_KEYS),
            PatchMeta.of(PersistentVolumeClaimStatus.class, "conditions", "type", MERGE),
            PatchMeta.of(ReplicationControllerStatus.class, "conditions", "type", MERGE),
            PatchMeta.of(ServiceSpec.class, "ports", "port", MERGE),
            PatchMeta.of(ServiceStatus.class, "conditions", "type", MERGE),
            PatchMeta.of(ServiceAccount.class, "secrets", "name", MERGE),
            PatchMeta.of(NodeSpec.class, "podCIDRs", "", MERGE),
            PatchMeta.of(NodeStatus.class, "conditions", "type", MERGE),
            PatchMeta.of(NodeStatus.class, "addresses", "type", MERGE),
            PatchMeta.of(NamespaceStatus.class, "conditions", "type", MERGE),
            PatchMeta.of(ComponentStatus.class, "conditions", "type", MERGE),
            // apps/v1
            PatchMeta.of(DeploymentSpec.class, "strategy", "", RETAIN_KEYS),
            PatchMeta.of(DeploymentStatus.class, "conditions", "type", MERGE),
            PatchMeta.of(ReplicaSetStatus.class, "conditions", "type", MERGE),
            PatchMeta.of(StatefulSetStatus.class, "conditions", "type", MERGE),
            PatchMeta.of(DaemonSetStatus.class, "conditions", "type", MERGE),
            // autoscaling/v2
            PatchMeta.of(HorizontalPodAutoscalerStatus.class, "conditions", "type", MERGE),
            // batch/v1
            PatchMeta.of(JobStatus.class, "conditions", "type", MERGE),
            // policy/v1
            PatchMeta.of(PodDisruptionBudgetSpec.class, "selector", "", REPLACE),
            PatchMeta.of(PodDisruptionBudgetStatus.class, "conditions", "type", MERGE),
            // networking/v1
            PatchMeta.of(ServiceCIDRStatus.class, "conditions", "type", MERGE));

    private KubernetesPatchMeta() {
    }
}
