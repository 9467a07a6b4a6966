package dev.berth.platform.apiserver.rbac;

import dev.berth.platform.api.auth.Role;
import dev.berth.platform.api.auth.TokenFile;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRefBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ClusterRoles and ClusterRoleBindings the core keeps, as upstream's {@code bootstrappolicy/policy.go} (its
 * testdata {@code cluster-roles.yaml}, {@code cluster-role-bindings.yaml}): {@code cluster-admin}, the user-facing
 * {@code admin}, {@code edit} and {@code view}, {@code system:discovery}, {@code system:basic-user} and
 * {@code system:public-info-viewer}, with their bindings. Upstream builds {@code admin}/{@code edit}/{@code view} by
 * aggregation; Berth has no aggregation controller, so they hold the aggregated rules flattened, verbatim from
 * upstream's {@code system:aggregate-to-*} roles (rules for resources Berth does not serve are kept: they grant nothing
 * until such a resource is served, and then grant what Kubernetes grants). Berth adds {@code berth:prometheus} (what
 * Prometheus' service discovery reads) and bindings of the groups tokens converted from the former token file format
 * are in ({@link Role#group()}). Immutable.
 */
public final class BootstrapPolicy {

    public static final String BOOTSTRAPPING_LABEL = "kubernetes.io/bootstrapping";
    public static final String BOOTSTRAPPING_VALUE = "rbac-defaults";
    public static final String AUTOUPDATE_ANNOTATION = "rbac.authorization.kubernetes.io/autoupdate";
    public static final String UNAUTHENTICATED = "system:unauthenticated";
    public static final String PROMETHEUS_ROLE = "berth:prometheus";

    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");
    private static final List<String> READ_WRITE = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    /** {@code system:aggregate-to-view}. */
    static final List<PolicyRule> VIEW = List.of(
            rule(READ, List.of(""), "configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                    "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"),
            rule(READ, List.of(""), "bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
                    "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"),
            rule(READ, List.of(""), "namespaces"),
            rule(READ, List.of("discovery.k8s.io"), "endpointslices"),
            rule(READ, List.of("apps"), "controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                    "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale",
                    "statefulsets/status"),
            rule(READ, List.of("autoscaling"), "horizontalpodautoscalers", "horizontalpodautoscalers/status"),
            rule(READ, List.of("batch"), "cronjobs", "cronjobs/status", "jobs", "jobs/status"),
            rule(READ, List.of("extensions"), "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status",
                    "ingresses", "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale", "replicasets/status",
                    "replicationcontrollers/scale"),
            rule(READ, List.of("policy"), "poddisruptionbudgets", "poddisruptionbudgets/status"),
            rule(READ, List.of("networking.k8s.io"), "ingresses", "ingresses/status", "networkpolicies"));

    /** {@code system:aggregate-to-edit}. */
    static final List<PolicyRule> EDIT = List.of(
            rule(READ, List.of(""), "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"),
            rule(List.of("impersonate"), List.of(""), "serviceaccounts"),
            rule(WRITE, List.of(""), "pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"),
            rule(List.of("create"), List.of(""), "pods/eviction"),
            rule(WRITE, List.of(""), "configmaps", "events", "persistentvolumeclaims", "replicationcontrollers",
                    "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"),
            rule(List.of("create"), List.of(""), "serviceaccounts/token"),
            rule(WRITE, List.of("apps"), "daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
                    "replicasets/scale", "statefulsets", "statefulsets/scale"),
            rule(WRITE, List.of("autoscaling"), "horizontalpodautoscalers"),
            rule(WRITE, List.of("batch"), "cronjobs", "jobs"),
            rule(WRITE, List.of("extensions"), "daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses",
                    "networkpolicies", "replicasets", "replicasets/scale", "replicationcontrollers/scale"),
            rule(WRITE, List.of("policy"), "poddisruptionbudgets"),
            rule(WRITE, List.of("networking.k8s.io"), "ingresses", "networkpolicies"),
            rule(READ_WRITE, List.of("coordination.k8s.io"), "leases"));

    /** {@code system:aggregate-to-admin}. */
    static final List<PolicyRule> ADMIN = List.of(
            rule(List.of("create"), List.of("authorization.k8s.io"), "localsubjectaccessreviews"),
            rule(READ_WRITE, List.of("rbac.authorization.k8s.io"), "rolebindings", "roles"));

    private BootstrapPolicy() {}

    /** The ClusterRoles, by name. */
    public static Map<String, ClusterRole> clusterRoles() {
        Map<String, ClusterRole> roles = new LinkedHashMap<>();
        add(roles, clusterRole("cluster-admin", Map.of(), List.of(rule(List.of("*"), List.of("*"), "*"), urls(List.of("*"), "*"))));
        add(roles, clusterRole("admin", Map.of(), concat(ADMIN, EDIT, VIEW)));
        add(roles, clusterRole("edit", Map.of("rbac.authorization.k8s.io/aggregate-to-admin", "true"), concat(EDIT, VIEW)));
        add(roles, clusterRole("view", Map.of("rbac.authorization.k8s.io/aggregate-to-edit", "true"), VIEW));
        add(roles, clusterRole("system:discovery", Map.of(), List.of(urls(List.of("get"), "/api", "/api/*", "/apis", "/apis/*", "/healthz",
                "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"))));
        add(roles, clusterRole("system:basic-user", Map.of(), List.of(
                rule(List.of("create"), List.of("authorization.k8s.io"), "selfsubjectaccessreviews", "selfsubjectrulesreviews"),
                rule(List.of("create"), List.of("authentication.k8s.io"), "selfsubjectreviews"))));
        add(roles, clusterRole("system:public-info-viewer", Map.of(), List.of(urls(List.of("get"), "/healthz", "/livez", "/readyz",
                "/version", "/version/"))));
        add(roles, clusterRole(PROMETHEUS_ROLE, Map.of(), List.of(rule(READ, List.of(""), "pods"))));
        // the former token format's deployer also wrote Namespaces, which edit leaves to cluster admins
        add(roles, clusterRole("berth:namespace-writer", Map.of(), List.of(rule(List.of("create", "delete", "patch", "update"), List.of(""),
                "namespaces"))));
        return roles;
    }

    /** The ClusterRoleBindings, by name. */
    public static Map<String, ClusterRoleBinding> clusterRoleBindings() {
        Map<String, ClusterRoleBinding> bindings = new LinkedHashMap<>();
        add(bindings, binding("cluster-admin", "cluster-admin", group(TokenFile.MASTERS_GROUP)));
        add(bindings, binding("system:basic-user", "system:basic-user", group("system:authenticated")));
        add(bindings, binding("system:discovery", "system:discovery", group("system:authenticated")));
        add(bindings, binding("system:public-info-viewer", "system:public-info-viewer", group("system:authenticated"), group(UNAUTHENTICATED)));
        add(bindings, binding(PROMETHEUS_ROLE, PROMETHEUS_ROLE, user(TokenFile.PROMETHEUS_USER), group(Role.DISCOVERY.group())));
        add(bindings, binding(Role.VIEWER.group(), "view", group(Role.VIEWER.group())));
        add(bindings, binding(Role.DEPLOYER.group(), "edit", group(Role.DEPLOYER.group())));
        add(bindings, binding(Role.DEPLOYER.group() + ":namespaces", "berth:namespace-writer", group(Role.DEPLOYER.group())));
        return bindings;
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> void add(Map<String, T> into, T object) {
        into.put(object.getMetadata().getName(), object);
    }

    @SafeVarargs
    private static List<PolicyRule> concat(List<PolicyRule>... lists) {
        List<PolicyRule> all = new ArrayList<>();
        Arrays.stream(lists).forEach(all::addAll);
        return List.copyOf(all);
    }

    static PolicyRule rule(List<String> verbs, List<String> groups, String... resources) {
        return new PolicyRuleBuilder().withVerbs(verbs).withApiGroups(groups).withResources(resources).build();
    }

    private static PolicyRule urls(List<String> verbs, String... urls) {
        return new PolicyRuleBuilder().withVerbs(verbs).withNonResourceURLs(urls).build();
    }

    private static ClusterRole clusterRole(String name, Map<String, String> labels, List<PolicyRule> rules) {
        Map<String, String> all = new LinkedHashMap<>(Map.of(BOOTSTRAPPING_LABEL, BOOTSTRAPPING_VALUE));
        all.putAll(labels);
        ClusterRole role = new ClusterRole();
        role.setMetadata(new ObjectMetaBuilder().withName(name).withLabels(all).withAnnotations(Map.of(AUTOUPDATE_ANNOTATION, "true")).build());
        role.setRules(new ArrayList<>(rules));
        return role;
    }

    private static ClusterRoleBinding binding(String name, String role, Subject... subjects) {
        ClusterRoleBinding b = new ClusterRoleBinding();
        b.setMetadata(new ObjectMetaBuilder().withName(name).withLabels(Map.of(BOOTSTRAPPING_LABEL, BOOTSTRAPPING_VALUE))
                .withAnnotations(Map.of(AUTOUPDATE_ANNOTATION, "true")).build());
        b.setRoleRef(new RoleRefBuilder().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).build());
        b.setSubjects(new ArrayList<>(List.of(subjects)));
        return b;
    }

    private static Subject group(String name) {
        return new SubjectBuilder().withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName(name).build();
    }

    private static Subject user(String name) {
        return new SubjectBuilder().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(name).build();
    }
}
