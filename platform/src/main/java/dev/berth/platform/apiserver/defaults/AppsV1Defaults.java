package dev.berth.platform.apiserver.defaults;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;

/**
 * apps/v1's defaults ({@code pkg/apis/apps/v1/defaults.go}), each with its pod template's
 * ({@link PodDefaults#setDefaultsPodTemplate}). Stateless.
 */
public final class AppsV1Defaults {

    private AppsV1Defaults() {}

    /** {@code SetDefaults_Deployment}: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600. */
    public static void setDefaultsDeployment(Deployment d) {
        if (d.getSpec() == null) {
            d.setSpec(new DeploymentSpec());
        }
        DeploymentSpec spec = d.getSpec();
        if (spec.getReplicas() == null) {
            spec.setReplicas(1);
        }
        if (spec.getStrategy() == null) {
            spec.setStrategy(new DeploymentStrategy());
        }
        DeploymentStrategy strategy = spec.getStrategy();
        if (empty(strategy.getType())) {
            strategy.setType("RollingUpdate");
        }
        if ("RollingUpdate".equals(strategy.getType())) { // Recreate gets no rollingUpdate: validation forbids one
            if (strategy.getRollingUpdate() == null) {
                strategy.setRollingUpdate(new RollingUpdateDeployment());
            }
            if (strategy.getRollingUpdate().getMaxUnavailable() == null) {
                strategy.getRollingUpdate().setMaxUnavailable(new IntOrString("25%"));
            }
            if (strategy.getRollingUpdate().getMaxSurge() == null) {
                strategy.getRollingUpdate().setMaxSurge(new IntOrString("25%"));
            }
        }
        if (spec.getRevisionHistoryLimit() == null) {
            spec.setRevisionHistoryLimit(10);
        }
        if (spec.getProgressDeadlineSeconds() == null) {
            spec.setProgressDeadlineSeconds(600);
        }
        PodDefaults.setDefaultsPodTemplate(spec.getTemplate());
    }

    /** {@code SetDefaults_ReplicaSet}: replicas 1. */
    public static void setDefaultsReplicaSet(ReplicaSet rs) {
        if (rs.getSpec() == null) {
            rs.setSpec(new ReplicaSetSpec());
        }
        if (rs.getSpec().getReplicas() == null) {
            rs.getSpec().setReplicas(1);
        }
        PodDefaults.setDefaultsPodTemplate(rs.getSpec().getTemplate());
    }

    /**
     * {@code SetDefaults_StatefulSet}: OrderedReady, RollingUpdate with partition 0 (a partition given without a type is
     * kept), PVC retention Retain/Retain (the StatefulSetAutoDeletePVC gate, on since 1.32), replicas 1,
     * revisionHistoryLimit 10; and the claim templates' defaults.
     */
    public static void setDefaultsStatefulSet(StatefulSet sts) {
        if (sts.getSpec() == null) {
            sts.setSpec(new StatefulSetSpec());
        }
        StatefulSetSpec spec = sts.getSpec();
        if (empty(spec.getPodManagementPolicy())) {
            spec.setPodManagementPolicy("OrderedReady");
        }
        if (spec.getUpdateStrategy() == null) {
            spec.setUpdateStrategy(new StatefulSetUpdateStrategy());
        }
        StatefulSetUpdateStrategy update = spec.getUpdateStrategy();
        if (empty(update.getType())) {
            update.setType("RollingUpdate");
            if (update.getRollingUpdate() == null) {
                update.setRollingUpdate(new RollingUpdateStatefulSetStrategy());
            }
        }
        if ("RollingUpdate".equals(update.getType()) && update.getRollingUpdate() != null && update.getRollingUpdate().getPartition() == null) {
            update.getRollingUpdate().setPartition(0);
        }
        if (spec.getPersistentVolumeClaimRetentionPolicy() == null) {
            spec.setPersistentVolumeClaimRetentionPolicy(new StatefulSetPersistentVolumeClaimRetentionPolicy());
        }
        var retention = spec.getPersistentVolumeClaimRetentionPolicy();
        if (empty(retention.getWhenDeleted())) {
            retention.setWhenDeleted("Retain");
        }
        if (empty(retention.getWhenScaled())) {
            retention.setWhenScaled("Retain");
        }
        if (spec.getReplicas() == null) {
            spec.setReplicas(1);
        }
        if (spec.getRevisionHistoryLimit() == null) {
            spec.setRevisionHistoryLimit(10);
        }
        PodDefaults.setDefaultsPodTemplate(spec.getTemplate());
        for (PersistentVolumeClaim claim : PodDefaults.orEmpty(spec.getVolumeClaimTemplates())) {
            VolumeDefaults.setDefaultsPersistentVolumeClaim(claim);
        }
    }

    static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}
