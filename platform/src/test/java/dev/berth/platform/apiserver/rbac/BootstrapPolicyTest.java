package dev.berth.platform.apiserver.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.apiserver.Caller;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bootstrap ClusterRoles against upstream's {@code bootstrappolicy/testdata/cluster-roles.yaml} for the resources
 * Berth serves (each row what a user bound to the role by a ClusterRoleBinding may do), and the reconciliation at start.
 */
class BootstrapPolicyTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}: {1} {2}.{3}/{4} -> {5}")
    @CsvSource({
            // view (system:aggregate-to-view): reads workloads and config, never Secrets, writes nothing
            "view,          get,    '',          pods,                     '',     true",
            "view,          list,   '',          pods,                     '',     true",
            "view,          get,    '',          pods,                     log,    true",
            "view,          get,    '',          pods,                     status, true",
            "view,          watch,  apps,        deployments,              '',     true",
            "view,          get,    apps,        deployments,              scale,  true",
            "view,          list,   '',          configmaps,               '',     true",
            "view,          list,   '',          events,                   '',     true",
            "view,          list,   '',          namespaces,               '',     true",
            "view,          list,   autoscaling, horizontalpodautoscalers, '',     true",
            "view,          get,    '',          secrets,                  '',     false",
            "view,          list,   '',          secrets,                  '',     false",
            "view,          create, apps,        deployments,              '',     false",
            "view,          list,   '',          nodes,                    '',     false",
            "view,          list,   rbac.authorization.k8s.io, roles,      '',     false",
            // edit (system:aggregate-to-edit + view): Secrets and workload writes, not roles or bindings, not nodes or namespaces
            "edit,          get,    '',          secrets,                  '',     true",
            "edit,          create, '',          secrets,                  '',     true",
            "edit,          create, apps,        deployments,              '',     true",
            "edit,          patch,  apps,        deployments,              scale,  true",
            "edit,          delete, '',          pods,                     '',     true",
            "edit,          create, '',          pods,                     eviction, true",
            "edit,          update, autoscaling, horizontalpodautoscalers, '',     true",
            "edit,          update, apps,        deployments,              status, false",
            "edit,          create, rbac.authorization.k8s.io, rolebindings, '',   false",
            "edit,          list,   rbac.authorization.k8s.io, roles,      '',     false",
            "edit,          delete, '',          nodes,                    '',     false",
            "edit,          create, '',          namespaces,               '',     false",
            // admin (system:aggregate-to-admin + edit): roles and bindings too, still no nodes
            "admin,         create, rbac.authorization.k8s.io, rolebindings, '',   true",
            "admin,         delete, rbac.authorization.k8s.io, roles,      '',     true",
            "admin,         get,    '',          secrets,                  '',     true",
            "admin,         create, rbac.authorization.k8s.io, clusterroles, '',   false",
            "admin,         delete, '',          nodes,                    '',     false",
            // cluster-admin: everything
            "cluster-admin, delete, '',          nodes,                    '',     true",
            "cluster-admin, create, rbac.authorization.k8s.io, clusterrolebindings, '', true",
            "cluster-admin, escalate, rbac.authorization.k8s.io, clusterroles, '', true",
            // berth:prometheus: what its service discovery reads
            "berth:prometheus, list, '',         pods,                     '',     true",
            "berth:prometheus, watch, '',        pods,                     '',     true",
            "berth:prometheus, list, '',         configmaps,               '',     false",
    })
    void rolesAllowWhatUpstreamsAllow(String role, String verb, String group, String resource, String subresource, boolean expected) {
        RbacAuthorizer authorizer = new RbacAuthorizer(objects().clusterRoleBinding(role, "User:someone"));
        Caller someone = new Caller("someone", "", List.of());
        assertThat(authorizer.authorize(Attributes.resource(someone, verb, "default", group, resource, subresource, "")).allowed())
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{0}] {1} {2} -> {3}")
    @CsvSource({
            "system:authenticated,   get,  /api,              true",
            "system:authenticated,   get,  /apis/apps/v1,     true",
            "system:authenticated,   get,  /openapi/v3,       true",
            "system:authenticated,   get,  /version,          true",
            "system:authenticated,   post, /api,              false",
            "system:unauthenticated, get,  /version,          true",
            "system:unauthenticated, get,  /healthz,          true",
            "system:unauthenticated, get,  /api,              false",
            "system:unauthenticated, get,  /openapi/v3,       false",
            "system:masters,         get,  /metrics,          true",
    })
    void nonResourceUrlsAsUpstreamBindsThem(String group, String verb, String path, boolean expected) {
        RbacAuthorizer authorizer = new RbacAuthorizer(objects());
        assertThat(authorizer.authorize(Attributes.nonResource(new Caller("u", "", List.of(group)), verb, path)).allowed()).isEqualTo(expected);
    }

    @Test
    void everyAuthenticatedUserMayReviewItsOwnAccess() {
        RbacAuthorizer authorizer = new RbacAuthorizer(objects());
        Caller nobody = Caller.authenticated("nobody", "", List.of());
        assertThat(authorizer.authorize(Attributes.resource(nobody, "create", "", "authorization.k8s.io", "selfsubjectaccessreviews", "", ""))
                .allowed()).isTrue();
        assertThat(authorizer.authorize(Attributes.resource(nobody, "list", "default", "", "pods", "", "")).allowed()).isFalse();
    }

    @Test
    void theObjectsAreLabelledAndAnnotatedAsUpstreams() {
        assertThat(BootstrapPolicy.clusterRoles().keySet()).contains("cluster-admin", "admin", "edit", "view", "system:discovery",
                "system:basic-user", "system:public-info-viewer");
        assertThat(BootstrapPolicy.clusterRoleBindings().get("cluster-admin").getSubjects()).singleElement()
                .satisfies(s -> assertThat(s.getKind() + ":" + s.getName()).isEqualTo("Group:system:masters"));
        for (var o : List.<io.fabric8.kubernetes.api.model.HasMetadata>copyOf(BootstrapPolicy.clusterRoles().values())) {
            assertThat(o.getMetadata().getLabels()).containsEntry("kubernetes.io/bootstrapping", "rbac-defaults");
            assertThat(o.getMetadata().getAnnotations()).containsEntry("rbac.authorization.kubernetes.io/autoupdate", "true");
        }
        assertThat(BootstrapPolicy.clusterRoles().get("view").getMetadata().getLabels())
                .containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true");
    }

    @Test
    void reconciliationCreatesWhatIsMissingRestoresWhatChangedAndLeavesProtectedObjectsAlone() throws Exception {
        try (ObjectStore store = new ObjectStore(dir, new KubernetesSerialization(), Clock.systemUTC(), 100)) {
            assertThat(BootstrapReconciler.reconcile(store)).contains("clusterroles/view", "clusterrolebindings/cluster-admin")
                    .hasSize(BootstrapPolicy.clusterRoles().size() + BootstrapPolicy.clusterRoleBindings().size());
            assertThat(BootstrapReconciler.reconcile(store)).isEmpty(); // idempotent

            ObjectKey view = new ObjectKey(ResourceKind.CLUSTER_ROLE, "", "view");
            ObjectKey edit = new ObjectKey(ResourceKind.CLUSTER_ROLE, "", "edit");
            ObjectKey masters = new ObjectKey(ResourceKind.CLUSTER_ROLE_BINDING, "", "cluster-admin");
            store.<ClusterRole>mutate(view, r -> {
                r.setRules(List.of(StaticRbacObjects.newRule("get", "", "secrets", "")));
                return r;
            });
            store.<ClusterRole>mutate(edit, r -> {
                r.setRules(List.of());
                r.getMetadata().setAnnotations(Map.of("rbac.authorization.kubernetes.io/autoupdate", "false"));
                return r;
            });
            store.<ClusterRoleBinding>mutate(masters, b -> {
                b.setSubjects(List.of());
                return b;
            });

            assertThat(BootstrapReconciler.reconcile(store)).containsExactlyInAnyOrder("clusterroles/view", "clusterrolebindings/cluster-admin");
            ClusterRole restored = store.<ClusterRole>get(view).orElseThrow();
            assertThat(restored.getRules()).containsAll(BootstrapPolicy.clusterRoles().get("view").getRules())
                    .contains(StaticRbacObjects.newRule("get", "", "secrets", "")); // extra permissions are kept, as upstream's hook keeps them
            assertThat(store.<ClusterRole>get(edit).orElseThrow().getRules()).isEmpty();
            assertThat(store.<ClusterRoleBinding>get(masters).orElseThrow().getSubjects())
                    .isEqualTo(BootstrapPolicy.clusterRoleBindings().get("cluster-admin").getSubjects());
        }
    }

    /** The bootstrap ClusterRoles and ClusterRoleBindings, as a test adds its own bindings to them. */
    static StaticRbacObjects objects() {
        StaticRbacObjects objects = new StaticRbacObjects();
        objects.clusterRoles.addAll(BootstrapPolicy.clusterRoles().values());
        objects.clusterRoleBindings.addAll(BootstrapPolicy.clusterRoleBindings().values());
        return objects;
    }
}
