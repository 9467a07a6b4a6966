package dev.berth.platform.model;

import static dev.berth.platform.model.NameFormat.DNS1035_LABEL;
import static dev.berth.platform.model.NameFormat.DNS1123_LABEL;
import static dev.berth.platform.model.NameFormat.DNS1123_SUBDOMAIN;
import static dev.berth.platform.model.NameFormat.PATH_SEGMENT;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Kubernetes kinds the core knows, with their REST plural and kubectl short names. Objects are the real
 * fabric8 {@code kubernetes-model} types; "applicable" kinds are what users send, the others the core
 * writes itself (Pods, ReplicaSets, Nodes, Endpoints, Events).
 */
public enum ResourceKind {
    DEPLOYMENT("apps/v1", "Deployment", "deployments", true, true, Deployment.class, DNS1123_SUBDOMAIN, "deploy"),
    STATEFULSET("apps/v1", "StatefulSet", "statefulsets", true, true, StatefulSet.class, DNS1123_SUBDOMAIN, "sts"),
    SERVICE("v1", "Service", "services", true, true, Service.class, DNS1035_LABEL, "svc"),
    CONFIGMAP("v1", "ConfigMap", "configmaps", true, true, ConfigMap.class, DNS1123_SUBDOMAIN, "cm"),
    SECRET("v1", "Secret", "secrets", true, true, Secret.class, DNS1123_SUBDOMAIN),
    HORIZONTAL_POD_AUTOSCALER("autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, true,
            HorizontalPodAutoscaler.class, DNS1123_SUBDOMAIN, "hpa"),
    REPLICASET("apps/v1", "ReplicaSet", "replicasets", true, false, ReplicaSet.class, DNS1123_SUBDOMAIN, "rs"),
    POD("v1", "Pod", "pods", true, false, Pod.class, DNS1123_SUBDOMAIN, "po"),
    ENDPOINTS("v1", "Endpoints", "endpoints", true, false, Endpoints.class, DNS1123_SUBDOMAIN, "ep"),
    EVENT("v1", "Event", "events", true, false, Event.class, DNS1123_SUBDOMAIN, "ev"),
    NODE("v1", "Node", "nodes", false, false, Node.class, DNS1123_SUBDOMAIN, "no"),
    NAMESPACE("v1", "Namespace", "namespaces", false, true, Namespace.class, DNS1123_LABEL, "ns"),
    // the kinds of the storage, identity and coordination APIs (kept together: another block adds RBAC's)
    SERVICE_ACCOUNT("v1", "ServiceAccount", "serviceaccounts", true, true, ServiceAccount.class, DNS1123_SUBDOMAIN, "sa"),
    PERSISTENT_VOLUME_CLAIM("v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, true, PersistentVolumeClaim.class,
            DNS1123_SUBDOMAIN, "pvc"),
    CONTROLLER_REVISION("apps/v1", "ControllerRevision", "controllerrevisions", true, true, ControllerRevision.class, DNS1123_SUBDOMAIN),
    LEASE("coordination.k8s.io/v1", "Lease", "leases", true, true, Lease.class, DNS1123_SUBDOMAIN),
    /** Served by converting the stored core/v1 Events (apiserver.EventsV1); no object is stored as this kind. */
    EVENT_V1("events.k8s.io/v1", "Event", "events", true, false, io.fabric8.kubernetes.api.model.events.v1.Event.class, DNS1123_SUBDOMAIN),
    /** Served by converting the stored autoscaling/v2 HorizontalPodAutoscalers; no object is stored as this kind. */
    HORIZONTAL_POD_AUTOSCALER_V1("autoscaling/v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, false,
            io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler.class, DNS1123_SUBDOMAIN, "hpa"),
    // rbac.authorization.k8s.io/v1: the objects the RBAC authorizer decides by (names are path segments, as upstream's ValidateRBACName)
    ROLE("rbac.authorization.k8s.io/v1", "Role", "roles", true, true, Role.class, PATH_SEGMENT),
    CLUSTER_ROLE("rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", false, true, ClusterRole.class, PATH_SEGMENT),
    ROLE_BINDING("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", true, true, RoleBinding.class, PATH_SEGMENT),
    CLUSTER_ROLE_BINDING("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "clusterrolebindings", false, true,
            ClusterRoleBinding.class, PATH_SEGMENT);

    private final String apiVersion;
    private final String kind;
    private final String plural;
    private final boolean namespaced;
    private final boolean applicable;
    private final Class<? extends HasMetadata> type;
    private final NameFormat nameFormat;
    private final List<String> shortNames;

    ResourceKind(String apiVersion, String kind, String plural, boolean namespaced, boolean applicable,
            Class<? extends HasMetadata> type, NameFormat nameFormat, String... shortNames) {
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.plural = plural;
        this.namespaced = namespaced;
        this.applicable = applicable;
        this.type = type;
        this.nameFormat = nameFormat;
        this.shortNames = List.of(shortNames);
    }

    public String apiVersion() {
        return apiVersion;
    }

    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    /** kubectl's short names ({@code deploy}, {@code svc}). */
    public List<String> shortNames() {
        return shortNames;
    }

    public boolean namespaced() {
        return namespaced;
    }

    /** Whether users may apply or delete objects of this kind (the others are the core's own). */
    public boolean applicable() {
        return applicable;
    }

    public Class<? extends HasMetadata> type() {
        return type;
    }

    /**
     * The format Kubernetes validates this kind's names with ({@code pkg/apis/core/validation}: Services are
     * DNS-1035 labels, Namespaces DNS-1123 labels, the rest DNS-1123 subdomains).
     */
    public NameFormat nameFormat() {
        return nameFormat;
    }

    public static Optional<ResourceKind> of(HasMetadata object) {
        return ofKind(object.getApiVersion(), object.getKind());
    }

    public static Optional<ResourceKind> ofKind(String apiVersion, String kind) {
        return Arrays.stream(values()).filter(k -> k.kind.equals(kind) && k.apiVersion.equals(apiVersion)).findFirst();
    }

    /**
     * Resolves what a user types, the kubectl way: plural, singular, short name or kind, any case
     * ({@code deployments}, {@code deployment}, {@code deploy}, {@code Deployment}).
     */
    public static Optional<ResourceKind> parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(k -> k.plural.equals(n) || k.kind.toLowerCase(Locale.ROOT).equals(n) || k.shortNames.contains(n))
                .findFirst();
    }
}
