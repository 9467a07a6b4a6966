package dev.berth.platform.apiserver.defaults;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;

/**
 * The defaults kube-apiserver's scheme sets on an object after decoding it (each group's {@code SetDefaults_*}, walked
 * into nested types as {@code zz_generated.defaults.go} does), so what Berth stores and returns reads as a cluster's
 * would. Only unset fields are set: defaulting twice changes nothing more (idempotent). Kinds without upstream
 * defaults (ConfigMap's empty data is invisible on the wire, Namespace, Node, Endpoints, Event) pass unchanged.
 * Stateless and thread-safe; the object is changed in place and returned.
 */
public final class Defaults {

    private Defaults() {}

    public static <T extends HasMetadata> T apply(T object) {
        if (object instanceof Deployment d) {
            AppsV1Defaults.setDefaultsDeployment(d);
        } else if (object instanceof ReplicaSet rs) {
            AppsV1Defaults.setDefaultsReplicaSet(rs);
        } else if (object instanceof StatefulSet sts) {
            AppsV1Defaults.setDefaultsStatefulSet(sts);
        } else if (object instanceof Pod pod) {
            PodDefaults.setDefaultsPod(pod);
        } else if (object instanceof Service svc) {
            ServiceDefaults.setDefaultsService(svc);
        } else if (object instanceof Secret secret) {
            ServiceDefaults.setDefaultsSecret(secret);
        } else if (object instanceof HorizontalPodAutoscaler hpa) {
            AutoscalingV2Defaults.setDefaultsHorizontalPodAutoscaler(hpa);
        }
        return object;
    }
}
