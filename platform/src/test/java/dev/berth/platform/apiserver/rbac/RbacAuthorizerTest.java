package dev.berth.platform.apiserver.rbac;

import static dev.berth.platform.apiserver.rbac.StaticRbacObjects.newRule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.apiserver.ApiException;
import dev.berth.platform.apiserver.Caller;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Upstream's {@code plugin/pkg/auth/authorizer/rbac/rbac_test.go} {@code TestAuthorizer}, case by case, and the denial's words. */
class RbacAuthorizerTest {

    static Caller user(String name, String groups) {
        return new Caller(name, "", groups.isEmpty() ? List.of() : List.of(groups.split(";")));
    }

    static boolean allowed(StaticRbacObjects objects, String user, String groups, String verb, String resource, String subresource, String ns) {
        return new RbacAuthorizer(objects).authorize(Attributes.resource(user(user, groups), verb, ns, "", resource, subresource, "")).allowed();
    }

    /** Case 0: a ClusterRole bound in ns1 by a RoleBinding (groups separated by ';'). */
    @ParameterizedTest(name = "case 0: {0} [{1}] {2} {3} in {4} -> {5}")
    @CsvSource({
            "admin, '',             get,   Pods,   ns1, true",
            "admin, '',             watch, Pods,   ns1, true",
            "admin, group1,         watch, Foobar, ns1, true",
            "joe,   admins,         watch, Foobar, ns1, true",
            "joe,   group1;admins,  watch, Foobar, ns1, true",
            "admin, '',             GET,   Pods,   ns2, false",
            "admin, '',             GET,   Nodes,  '',  false",
            "admin, admins,         GET,   Pods,   ns2, false",
            "admin, admins,         GET,   Nodes,  '',  false",
    })
    void case0RoleBindingToAClusterRole(String user, String groups, String verb, String resource, String ns, boolean expected) {
        StaticRbacObjects objects = new StaticRbacObjects().clusterRole("admin", newRule("*", "*", "*", "*"))
                .roleBinding("ns1", "ClusterRole", "admin", "User:admin", "Group:admins");
        assertThat(allowed(objects, user, groups, verb, resource, "", ns)).isEqualTo(expected);
    }

    /** Case 1: non-resource URLs through ClusterRoleBindings. */
    @ParameterizedTest(name = "case 1: {0} [{1}] {2} {3} -> {4}")
    @CsvSource({
            "foo,      '',       get,   /apis,            true",
            "'',       bar,      get,   /apis,            true",
            "admin,    '',       get,   /apis,            true",
            "'',       admin,    get,   /apis,            true",
            "admin,    '',       watch, /apis,            true",
            "'',       admin,    watch, /apis,            true",
            "prefixed, '',       get,   /apis/v1,         true",
            "'',       prefixed, get,   /apis/v1,         true",
            "prefixed, '',       get,   /apis/v1/foobar,  true",
            "'',       prefixed, get,   /apis/v1/foorbar, true",
            // wrong verb
            "foo,      '',       watch, /apis,            false",
            "'',       bar,      watch, /apis,            false",
            // wrong path
            "foo,      '',       get,   /api/v1,          false",
            "'',       bar,      get,   /api/v1,          false",
            "admin,    '',       get,   /api/v1,          false",
            "'',       admin,    get,   /api/v1,          false",
            // not covered by prefix
            "prefixed, '',       get,   /api/v1,          false",
            "'',       prefixed, get,   /api/v1,          false",
    })
    void case1NonResourceUrls(String user, String groups, String verb, String path, boolean expected) {
        StaticRbacObjects objects = new StaticRbacObjects()
                .clusterRole("non-resource-url-getter", newRule("get", "", "", "/apis"))
                .clusterRole("non-resource-url", newRule("*", "", "", "/apis"))
                .clusterRole("non-resource-url-prefix", newRule("get", "", "", "/apis/*"))
                .clusterRoleBinding("non-resource-url-getter", "User:foo", "Group:bar")
                .clusterRoleBinding("non-resource-url", "User:admin", "Group:admin")
                .clusterRoleBinding("non-resource-url-prefix", "User:prefixed", "Group:prefixed");
        assertThat(new RbacAuthorizer(objects).authorize(Attributes.nonResource(user(user, groups), verb, path)).allowed()).isEqualTo(expected);
    }

    /** Cases 2 and 3: subresource resolution. */
    @ParameterizedTest(name = "cases 2/3: rule {0}, get pods/{1} -> {2}")
    @CsvSource({
            "pods,        '',     true",
            "pods,        status, false",
            "pods/status, status, true",
            "pods/status, '',     false",
    })
    void cases2And3Subresources(String ruleResource, String subresource, boolean expected) {
        StaticRbacObjects objects = new StaticRbacObjects().clusterRole("admin", newRule("*", "*", ruleResource, "*"))
                .roleBinding("ns1", "ClusterRole", "admin", "User:admin", "Group:admins");
        assertThat(allowed(objects, "admin", "", "get", "pods", subresource, "ns1")).isEqualTo(expected);
    }

    @Test
    void aRoleBindingToARoleOfItsNamespaceAndServiceAccountSubjects() {
        StaticRbacObjects objects = new StaticRbacObjects().role("ns1", "reader", newRule("get,list", "", "configmaps", ""))
                .roleBinding("ns1", "Role", "reader", "ServiceAccount:ns1/builder", "ServiceAccount:deployer")
                .role("ns2", "reader", newRule("get,list", "", "configmaps", ""));
        // the subject's own namespace, and the binding's when it names none (rule.go appliesToUser)
        assertThat(allowed(objects, "system:serviceaccount:ns1:builder", "", "list", "configmaps", "", "ns1")).isTrue();
        assertThat(allowed(objects, "system:serviceaccount:ns1:deployer", "", "list", "configmaps", "", "ns1")).isTrue();
        assertThat(allowed(objects, "system:serviceaccount:ns2:deployer", "", "list", "configmaps", "", "ns1")).isFalse();
        assertThat(allowed(objects, "builder", "", "list", "configmaps", "", "ns1")).isFalse();
        assertThat(allowed(objects, "system:serviceaccount:ns1:builder", "", "list", "configmaps", "", "ns2")).isFalse();
        assertThat(allowed(objects, "system:serviceaccount:ns1:builder", "", "list", "configmaps", "", "")).isFalse();
    }

    @Test
    void anAllowanceNamesTheBindingAndADenialTheRolesThatCouldNotBeFound() {
        StaticRbacObjects objects = new StaticRbacObjects().clusterRole("view", newRule("get,list,watch", "", "pods", ""))
                .clusterRoleBinding("view", "Group:system:authenticated").clusterRoleBinding("gone", "User:ops")
                .roleBinding("default", "Role", "missing", "User:ops");
        RbacAuthorizer authorizer = new RbacAuthorizer(objects);
        Caller ops = Caller.authenticated("ops", "", List.of());

        assertThat(authorizer.authorize(Attributes.resource(ops, "list", "default", "", "pods", "", ""))).isEqualTo(new RbacAuthorizer.Decision(true,
                "RBAC: allowed by ClusterRoleBinding \"crb-0\" of ClusterRole \"view\" to Group \"system:authenticated\""));
        assertThat(authorizer.authorize(Attributes.resource(ops, "list", "default", "", "secrets", "", ""))).isEqualTo(new RbacAuthorizer.Decision(false,
                "RBAC: [clusterrole.rbac.authorization.k8s.io \"gone\" not found, role.rbac.authorization.k8s.io \"missing\" not found]"));
        assertThat(authorizer.authorize(Attributes.resource(new Caller("dev", "", List.of()), "list", "default", "", "secrets", "", "")))
                .isEqualTo(new RbacAuthorizer.Decision(false, ""));
    }

    @Test
    void aDenialIsWordedAsKubeApiserverWordsIt() {
        RbacAuthorizer authorizer = new RbacAuthorizer(new StaticRbacObjects());
        Caller x = new Caller("x", "", List.of());

        assertThatThrownBy(() -> authorizer.check(Attributes.resource(x, "list", "default", "", "pods", "", "")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.status().getReason()).isEqualTo("Forbidden");
                    assertThat(e.getMessage()).isEqualTo("pods is forbidden: User \"x\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");
                });
        assertThatThrownBy(() -> authorizer.check(Attributes.resource(x, "get", "", "apps", "deployments", "scale", "web")))
                .hasMessage("deployments.apps \"web\" is forbidden: User \"x\" cannot get resource \"deployments/scale\" in API group \"apps\" at the cluster scope");
        assertThatThrownBy(() -> authorizer.check(Attributes.nonResource(x, "get", "/apis")))
                .hasMessage("forbidden: User \"x\" cannot get path \"/apis\"");
    }
}
